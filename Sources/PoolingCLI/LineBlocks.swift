import Dispatch

/// A run of consecutive input lines copied into one buffer, the unit of parallel work.
package struct LineBlock: Sendable {
  /// The bytes of the lines, back to back.
  package var bytes: [UInt8] = []
  /// Each line's range in `bytes`, or nil for a line over the limit.
  package var lines: [Range<Int>?] = []
  /// The 1-based number of the first line.
  package var firstLine = 1

  /// An empty block with room for `bytes` bytes of lines (so that filling it does not grow it step by step).
  package init(reserving bytes: Int = 0) {
    self.bytes.reserveCapacity(bytes)
    lines.reserveCapacity(bytes / 256)
  }

  /// Appends a line (its bytes, without the newline).
  package mutating func append(line: [UInt8]) {
    let start = bytes.count
    bytes.append(contentsOf: line)
    lines.append(start..<bytes.count)
  }

  /// Empties the block, keeping its storage for the next lines.
  mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    lines.removeAll(keepingCapacity: true)
  }
}

/// Runs `process` over blocks of lines on `threads` threads and hands the results to `emit` in input order,
/// so the output is byte-identical whatever the thread count. On more than one thread it is a pipeline:
/// this thread reads the lines into blocks and hands each over as it fills, `threads` workers of their own
/// each take the next block waiting, and this thread writes the results out in order as they come, so
/// reading and writing overlap the processing. The input held at once is capped in bytes whatever the
/// thread count (`blocks` blocks of `blockBytes`, the one being filled among them: four a thread, so that a
/// worker finds a block waiting however the others are going; two with a small budget), and when the input
/// pauses every complete line is processed and `idle` is called, so a client that writes one case and waits
/// gets its answer. On one thread, each block is processed on this thread as it fills.
package struct ParallelLines {
  package let threads: Int
  /// The blocks held at most, the one being filled among them.
  package let blocks: Int
  package let blockBytes: Int

  /// The most threads used, whatever is asked: 4 a core, and never more than 64 (more only divides the
  /// same cores and the same memory budget into smaller blocks).
  package static var maximumThreads: Int { min(64, 4 * Platform.processors) }

  /// `threads` workers holding at most `inputBudget` bytes of input at a time.
  package init(threads: Int, inputBudget: Int = 16 << 20) {
    self.threads = min(max(1, threads), ParallelLines.maximumThreads)
    // Four blocks a thread, unless that makes them smaller than 64 KiB or more than 16 (each keeps its output's
    // storage): then two, as small as that.
    self.blocks = max(self.threads * 2, min(self.threads * 4, 16, inputBudget / (64 << 10)))
    self.blockBytes = max(64 << 10, min(512 << 10, inputBudget / blocks))
  }

  /// Runs `process` over every block; each block's output is emitted whole.
  func run<Output: Sendable>(
    lines forEachLine: (_ body: (LineReader.Line) throws(CommandFailure) -> Void, _ idle: () throws(CommandFailure) -> Void)
      throws(CommandFailure) -> Void,
    process: @escaping @Sendable (LineBlock) -> Output,
    emit: @escaping (Output) throws(CommandFailure) -> Void,
    idle: @escaping () throws(CommandFailure) -> Void = {}
  ) throws(CommandFailure) {
    try run(
      lines: forEachLine, worker: (),
      resumable: { (_: inout Void, block: LineBlock, _: Int, output: inout Output?) -> Int? in
        output = process(block)
        return nil
      }, emit: emit, idle: idle)
  }

  /// Runs `process` over every block, from line 0, each worker thread with its own copy of `worker` kept
  /// from block to block (so the storage it holds is reused), writing the block's output into `output`
  /// (nil, or the output of an earlier block, already emitted, whose storage it may reuse). When it stops
  /// early (its output reached its budget) it returns the index of the next line, and that block is finished
  /// on this thread, a part at a time, each part emitted before the next is made: the output held at once is
  /// bounded by the parts' budget, not by the input.
  func run<Worker: Sendable, Output: Sendable>(
    lines forEachLine: (_ body: (LineReader.Line) throws(CommandFailure) -> Void, _ idle: () throws(CommandFailure) -> Void)
      throws(CommandFailure) -> Void,
    worker: Worker,
    resumable process: @escaping @Sendable (inout Worker, LineBlock, Int, inout Output?) -> Int?,
    emit: @escaping (Output) throws(CommandFailure) -> Void,
    idle: @escaping () throws(CommandFailure) -> Void = {}
  ) throws(CommandFailure) {
    // Blocks in flight (handed over, not yet emitted): with the one being filled, `blocks` at most (2 on
    // one thread, where each is processed as it is handed over).
    let pipeline = BlockPipeline(
      slots: threads == 1 ? 1 : blocks - 1, workers: threads == 1 ? 0 : threads, worker: worker, process: process)
    defer { pipeline.finish() }
    var local = worker  // this thread's, for the parts of a block finished here (and every block on one thread)
    var current = LineBlock(reserving: blockBytes)
    var handedOver = 0  // blocks handed over
    var emitted = 0  // blocks emitted
    var number = 0

    /// Emits the oldest block handed over, when it is done (waiting for it when `wait`); false when it is not.
    func emitOldest(wait: Bool) throws(CommandFailure) -> Bool {
      let i = emitted % pipeline.slots.count
      guard pipeline.isDone(i, wait: wait) else { return false }
      emitted += 1
      try emit(pipeline.slots[i].output!)  // Safe: a block done has its output.
      while let next = pipeline.slots[i].resume {
        pipeline.slots[i].resume = process(&local, pipeline.slots[i].block, next, &pipeline.slots[i].output)
        try emit(pipeline.slots[i].output!)
      }
      return true
    }
    /// Hands the block filled over and takes an empty one to fill: the storage of the block emitted longest
    /// ago (emitting it first when it is not yet).
    func handOver() throws(CommandFailure) {
      if handedOver - emitted == pipeline.slots.count { _ = try emitOldest(wait: true) }
      let i = handedOver % pipeline.slots.count
      swap(&current, &pipeline.slots[i].block)
      current.removeAll()
      handedOver += 1
      if pipeline.workers.isEmpty {
        pipeline.slots[i].resume = process(&local, pipeline.slots[i].block, 0, &pipeline.slots[i].output)
        pipeline.slots[i].done = true
      } else {
        pipeline.post()
      }
      // Write out what is done, in order, without waiting.
      while emitted < handedOver, try emitOldest(wait: false) {}
    }

    func paused() throws(CommandFailure) {
      if !current.lines.isEmpty { try handOver() }
      while emitted < handedOver { _ = try emitOldest(wait: true) }
      try idle()
    }
    func stopIfAsked() throws(CommandFailure) {
      if let signal = Platform.stopSignal {
        try paused()  // every line read so far is answered: the output ends on a line boundary
        throw .io(IOFailure(operation: "stopped by signal \(signal)", code: signal, side: .stopped))
      }
    }
    do {
      try forEachLine(
        { line throws(CommandFailure) in
          number += 1
          if current.lines.isEmpty { current.firstLine = number }
          if let line {
            let start = current.bytes.count
            current.bytes.append(contentsOf: line)
            current.lines.append(start..<current.bytes.count)
          } else {
            current.lines.append(nil)
          }
          if current.bytes.count >= blockBytes || current.lines.count >= 65_536 {
            try handOver()
            try stopIfAsked()
          }
        },
        { () throws(CommandFailure) in
          try paused()
          try stopIfAsked()
        })
    } catch {
      // A read failed, or a stop signal ended it: answer every line read before it, then report it.
      if case .io(let failure) = error, failure.side == .input || failure.side == .stopped { try paused() }
      throw error
    }
    if !current.lines.isEmpty { try handOver() }
    while emitted < handedOver { _ = try emitOldest(wait: true) }
  }

  /// The number of processors online.
  static var defaultThreads: Int { Platform.processors }
}

/// The blocks handed over by `ParallelLines.run` and the worker threads that process them: a ring of slots,
/// filled in order by the thread that reads; each worker takes the next block posted (the order they are
/// posted in), processes it with its own copy of the work's state, and says it is done. A slot is touched by
/// one thread at a time: the reader until it posts it, then one worker until it is done, then the reader.
final class BlockPipeline<Worker: Sendable, Output: Sendable>: @unchecked Sendable {
  struct Slot {
    var block = LineBlock()
    /// The block's output, or the last one's (its storage reused) until it is done.
    var output: Output?
    /// Where the block's output stopped at its budget, if it did.
    var resume: Int?
    /// Whether the block was processed on the reading thread (one thread: no worker signals it).
    var done = false
  }

  let slots: UnsafeMutableBufferPointer<Slot>
  /// Signalled by a worker when it has processed the slot's block.
  let finished: [DispatchSemaphore]
  /// Counts the blocks posted (and, at the end, one stop a worker).
  let posted = DispatchSemaphore(value: 0)
  /// Guards `taken` and `count`.
  let lock = DispatchSemaphore(value: 1)
  /// The blocks posted so far, and taken by a worker so far (under `lock`).
  var count = 0
  var taken = 0
  var workers: [Platform.Thread] = []

  init(
    slots: Int, workers: Int, worker: Worker, process: @escaping @Sendable (inout Worker, LineBlock, Int, inout Output?) -> Int?
  ) {
    self.slots = .allocate(capacity: slots)
    self.slots.initialize(repeating: Slot())
    finished = (0..<slots).map { _ in DispatchSemaphore(value: 0) }
    for _ in 0..<workers {
      self.workers.append(
        Platform.Thread { [self] in
          var state = worker
          while let i = self.next() {
            self.slots[i].resume = process(&state, self.slots[i].block, 0, &self.slots[i].output)
            self.finished[i].signal()
          }
        })
    }
  }

  deinit {
    slots.deinitialize()
    slots.deallocate()
  }

  /// Posts the next slot's block (the reader has filled it).
  func post() {
    lock.wait()
    count += 1
    lock.signal()
    posted.signal()
  }

  /// The slot of the next block posted, waiting for one; nil when the pipeline is finishing.
  func next() -> Int? {
    posted.wait()
    lock.wait()
    defer { lock.signal() }
    guard taken < count else { return nil }
    taken += 1
    return (taken - 1) % slots.count
  }

  /// Whether slot `i`'s block is processed, waiting for it when `wait` (the reader, once for each block).
  func isDone(_ i: Int, wait: Bool) -> Bool {
    if !slots[i].done {
      if wait { finished[i].wait() } else if finished[i].wait(timeout: .now()) == .timedOut { return false }
    }
    slots[i].done = false
    return true
  }

  /// Lets each worker finish the blocks posted, then stop, and waits for them.
  func finish() {
    for _ in workers { posted.signal() }
    for thread in workers { thread.join() }
    workers = []
  }
}
