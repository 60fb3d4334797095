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
}

/// Runs `process` over blocks of lines on `threads` threads and hands the results to `emit` in input order,
/// so the output is byte-identical whatever the thread count. Blocks are gathered `threads × 2` at a time:
/// read (this thread), process (all threads), write in order (this thread), repeat. The input held at once
/// is capped in bytes whatever the thread count, and when the input pauses every complete line is
/// processed and `idle` is called, so a client that writes one case and waits gets its answer.
package struct ParallelLines {
  package let threads: Int
  package let blockBytes: Int

  /// The most threads used, whatever is asked: 4 a core, and never more than 64 (more only divides the
  /// same cores and the same memory budget into smaller blocks).
  package static var maximumThreads: Int { min(64, 4 * Platform.processors) }

  /// `threads` workers holding at most `inputBudget` bytes of input at a time.
  package init(threads: Int, inputBudget: Int = 16 << 20) {
    self.threads = min(max(1, threads), ParallelLines.maximumThreads)
    self.blockBytes = max(64 << 10, min(1 << 20, inputBudget / (self.threads * 2)))
  }

  /// Runs `process` over every block; each block's output is emitted whole.
  func run<Output: Sendable>(
    lines forEachLine: (_ body: (LineReader.Line) throws(CommandFailure) -> Void, _ idle: () throws(CommandFailure) -> Void)
      throws(CommandFailure) -> Void,
    process: @escaping @Sendable (LineBlock) -> Output,
    emit: @escaping (Output) throws(CommandFailure) -> Void,
    idle: @escaping () throws(CommandFailure) -> Void = {}
  ) throws(CommandFailure) {
    try run(lines: forEachLine, resumable: { block, _ in (process(block), nil) }, emit: emit, idle: idle)
  }

  /// Runs `process` over every block, from line 0; when it stops early (its output reached its budget) it
  /// returns the index of the next line, and that block is finished here, a part at a time, each part emitted
  /// before the next is made: the output held at once is bounded by the parts' budget, not by the input.
  func run<Output: Sendable>(
    lines forEachLine: (_ body: (LineReader.Line) throws(CommandFailure) -> Void, _ idle: () throws(CommandFailure) -> Void)
      throws(CommandFailure) -> Void,
    resumable process: @escaping @Sendable (LineBlock, Int) -> (Output, resume: Int?),
    emit: @escaping (Output) throws(CommandFailure) -> Void,
    idle: @escaping () throws(CommandFailure) -> Void = {}
  ) throws(CommandFailure) {
    let batchSize = threads * 2
    var pending: [LineBlock] = []
    var current = LineBlock(reserving: blockBytes)
    var number = 0

    func flush() throws(CommandFailure) {
      let blocks = pending
      pending.removeAll(keepingCapacity: true)
      let results = UnsafeMutableBufferPointer<(Output, resume: Int?)?>.allocate(capacity: blocks.count)
      results.initialize(repeating: nil)
      defer { results.deinitialize(); results.deallocate() }
      nonisolated(unsafe) let slots = results
      let workers = min(threads, blocks.count)
      let work: @Sendable (Int) -> Void = { worker in
        // Worker w settles blocks w, w + workers, …: each index is written by one thread only.
        for i in stride(from: worker, to: blocks.count, by: workers) { slots[i] = process(blocks[i], 0) }
      }
      if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
      for (i, result) in results.enumerated() {
        var (output, resume) = result!  // Safe: concurrentPerform ran every index.
        results[i] = nil  // emitted parts are not held
        try emit(output)
        while let next = resume {
          (output, resume) = process(blocks[i], next)
          try emit(output)
        }
      }
    }

    func paused() throws(CommandFailure) {
      if !current.lines.isEmpty {
        pending.append(current)
        current = LineBlock(reserving: blockBytes)
      }
      if !pending.isEmpty { try flush() }
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
            pending.append(current)
            current = LineBlock(reserving: blockBytes)
            if pending.count == batchSize {
              try flush()
              try stopIfAsked()
            }
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
    if !current.lines.isEmpty { pending.append(current) }
    if !pending.isEmpty { try flush() }
  }

  /// The number of processors online.
  static var defaultThreads: Int { Platform.processors }
}
