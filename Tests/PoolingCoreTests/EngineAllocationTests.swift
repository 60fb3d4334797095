#if os(Linux)
  import PoolingAllocationCounter
  import PoolingCore
  import PoolingTestSupport
  import Testing

  /// The allocations (malloc and friends) this thread makes while `body` runs: tests running beside this one
  /// on other threads do not count.
  func allocations(_ body: () -> Void) -> UInt64 {
    let before = pooling_thread_allocation_count()
    body()
    return pooling_thread_allocation_count() &- before
  }

  /// The engine allocates nothing per visit once the host's storage has room: a visit reads the member and the
  /// ledger in place, books its deductible to one of the year's four inline day entries and appends its
  /// journal entry to storage the previous member's journal left. Counted exactly, over generated cases whose
  /// years hold at most four day entries and that start no year without a previous year's bookkeeping (that
  /// year's journal, and a fifth day entry, get storage of their own).
  @Suite struct EngineAllocationTests {
    /// Cases whose ledgers stay within the inline day entries and reuse their journals' storage throughout.
    static func smallCases(_ count: Int, tariff: Tariff) -> [Case] {
      var generator = CaseGenerator(seed: 11, rules: .zhengzhou2022)
      return (0..<count).map { _ in generator.next() }.filter { c in
        var ledger = c.ledger
        var most = max(ledger.thisYear.deductibleCount, ledger.previousYear?.deductibleCount ?? 0)
        for visit in c.visits {
          if ledger.booking(of: visit.date.year) == .rollForward && ledger.year != nil && ledger.previousYear == nil {
            return false
          }
          _ = tariff.settleUnchecked(visit, member: c.member, ledger: &ledger)
          most = max(most, ledger.thisYear.deductibleCount, ledger.previousYear?.deductibleCount ?? 0)
        }
        return most <= 4
      }
    }

    /// Settles every case as a host settling member after member would: each ledger's journals given the
    /// storage the previous ledger's journals left. Returns the visits settled.
    static func settleAll(
      _ cases: [Case], spare: inout [JournalEntry], sparePrevious: inout [JournalEntry],
      _ settle: (Visit, Member, inout Ledger) -> Money
    ) -> (visits: Int, pooling: Money) {
      var visits = 0
      var pooling = Money.zero
      for c in cases.indices {
        var ledger = cases[c].ledger
        if ledger.thisYear.settled.isEmpty { swap(&ledger.thisYear.settled, &spare) }
        if ledger.previousYear?.settled.isEmpty == true { swap(&ledger.previousYear!.settled, &sparePrevious) }
        // Room for the case's entries (nothing is allocated when the storage has it already).
        ledger.thisYear.settled.reserveCapacity(ledger.thisYear.settled.count + cases[c].visits.count)
        if let n = ledger.previousYear?.settled.count { ledger.previousYear!.settled.reserveCapacity(n + cases[c].visits.count) }
        for i in cases[c].visits.indices {
          pooling += settle(cases[c].visits[i], cases[c].member, &ledger)
          visits += 1
        }
        swap(&spare, &ledger.thisYear.settled)
        spare.removeAll(keepingCapacity: true)
        if ledger.previousYear != nil {
          swap(&sparePrevious, &ledger.previousYear!.settled)
          sparePrevious.removeAll(keepingCapacity: true)
        }
      }
      return (visits, pooling)
    }

    @Test func settlingAVisitAllocatesNothingOnceTheJournalHasRoom() throws {
      let tariff = try #require(Tariff(.zhengzhou2022))
      let cases = Self.smallCases(600, tariff: tariff)
      #expect(cases.count > 500)
      // The host's two journal buffers, with room for a member's visits.
      var spare: [JournalEntry] = [], sparePrevious: [JournalEntry] = []
      spare.reserveCapacity(8)
      sparePrevious.reserveCapacity(8)
      let settle = { (visit: Visit, member: Member, ledger: inout Ledger) -> Money in
        tariff.settleUnchecked(visit, member: member, ledger: &ledger).pooling
      }
      // A first pass, uncounted: what is made once (the runtime's caches, the rules' tables) is made here.
      let first = Self.settleAll(cases, spare: &spare, sparePrevious: &sparePrevious, settle)
      var second = (visits: 0, pooling: Money.zero)
      let counted = allocations { second = Self.settleAll(cases, spare: &spare, sparePrevious: &sparePrevious, settle) }
      #expect(counted == 0, "\(counted) allocations in \(second.visits) visits")
      #expect(second.visits > 1_000 && second == first)
    }

    /// The interned form (ids numbered in each case) allocates nothing per visit either, settled as a host
    /// would: each ledger's journals given the storage the previous ledger's journals left.
    @Test func settlingAnInternedVisitAllocatesNothingOnceTheJournalHasRoom() throws {
      let tariff = try #require(Tariff(.zhengzhou2022))
      let cases = Self.smallCases(600, tariff: tariff).map(InternedCase.init)
      #expect(cases.count > 500)
      var spare: [InternedJournalEntry] = [], sparePrevious: [InternedJournalEntry] = []
      spare.reserveCapacity(8)
      sparePrevious.reserveCapacity(8)
      func settleAll() -> (visits: Int, pooling: Money) {
        var visits = 0
        var pooling = Money.zero
        for c in cases.indices {
          var ledger = cases[c].ledger
          if ledger.years[0].settled.isEmpty { swap(&ledger.years[0].settled, &spare) }
          if ledger.hasPreviousYear && ledger.years[1].settled.isEmpty { swap(&ledger.years[1].settled, &sparePrevious) }
          for y in 0..<(ledger.hasPreviousYear ? 2 : 1) {
            ledger.years[y].settled.reserveCapacity(ledger.years[y].settled.count + cases[c].visits.count)
          }
          for i in cases[c].visits.indices {
            pooling += tariff.settleUnchecked(cases[c].visits[i], member: cases[c].member, ledger: &ledger).pooling
            visits += 1
          }
          swap(&spare, &ledger.years[0].settled)
          spare.removeAll(keepingCapacity: true)
          if ledger.hasPreviousYear {
            swap(&sparePrevious, &ledger.years[1].settled)
            sparePrevious.removeAll(keepingCapacity: true)
          }
        }
        return (visits, pooling)
      }
      let first = settleAll()
      var second = (visits: 0, pooling: Money.zero)
      let counted = allocations { second = settleAll() }
      #expect(counted == 0, "\(counted) allocations in \(second.visits) visits")
      #expect(second.visits > 1_000 && second == first)
    }

    @Test func theCounterCountsWhatIsAllocated() {
      // One array buffer (its size known only at run time, so it is not made at compile time).
      let n = Int.random(in: 3...5)
      var made: [Int] = []
      let counted = allocations { made = Array(repeating: 7, count: n) }
      #expect(counted == 1 && made.count == n)
    }
  }
#endif
