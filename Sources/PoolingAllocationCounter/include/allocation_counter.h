#ifndef POOLING_ALLOCATION_COUNTER_H
#define POOLING_ALLOCATION_COUNTER_H

/* Counts heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) of the whole
   process, for the benchmark: linked into an executable, these definitions take the place of the C
   library's for every library the process loads, and forward to it. Not part of any product: the
   benchmark and the allocation tests link it. */

/* Allocations since the process started. */
unsigned long long pooling_allocation_count(void);

/* Allocations made by the calling thread since it started (other threads' work does not count). */
unsigned long long pooling_thread_allocation_count(void);

#endif
