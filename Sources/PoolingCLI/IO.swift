import PoolingCore

/// Where a command reads bytes from: a file descriptor, or memory in tests.
package protocol ByteSource {
  /// Reads up to `buffer.count` bytes; 0 at end of input.
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOFailure) -> Int

  /// Whether the next read would wait: the writer has paused (a client that sends a case and waits for
  /// its answer). Streaming commands then answer what they have before reading on.
  func wouldWait() -> Bool

  /// Whether the source is a terminal (a person, not a file or a pipe).
  var isTerminal: Bool { get }
}

extension ByteSource {
  /// A source that never waits (memory, regular files).
  package func wouldWait() -> Bool { false }

  /// Memory and files are not terminals.
  package var isTerminal: Bool { false }
}

/// Where a command writes bytes to.
package protocol ByteSink {
  /// Writes all of `bytes`.
  mutating func write(_ bytes: UnsafeRawBufferPointer) throws(IOFailure)
}

/// A read or write that failed, with the `errno` text.
package struct IOFailure: Error, Sendable {
  /// Which side failed: what the tool read, or what it wrote (an output failure is exit 4).
  package enum Side: Sendable {
    case input, output
    /// Not a failure: the process was asked to stop (`code` is the signal) and wrote its complete lines.
    case stopped
  }

  /// What failed, e.g. `write to standard output`.
  package var operation: String
  /// The C error number.
  package var code: Int32
  /// Which side failed.
  package var side: Side

  /// A failure of `operation` with `errno` `code`.
  package init(operation: String, code: Int32, side: Side = .input) {
    self.operation = operation
    self.code = code
    self.side = side
  }
  /// Whether the reader went away (EPIPE): a filter then stops quietly.
  package var isBrokenPipe: Bool { Platform.isBrokenPipe(code) }
  /// A plain description.
  package var message: String { "\(operation): \(Platform.describe(code))" }
  /// The description in `language`; the system's reason (`strerror`) stays as the system gives it.
  package func message(in language: Language) -> String {
    guard language == .zh, let space = operation.firstIndex(of: " ") else { return message }
    let object = operation[operation.index(after: space)...]
    switch operation[..<space] {
    case "open": return "无法打开 \(object)：\(Platform.describe(code))"
    case "read": return "读取 \(object) 失败：\(Platform.describe(code))"
    case "write": return "写入 \(object) 失败：\(Platform.describe(code))"
    default: return message
    }
  }
}

/// A file descriptor as a source or sink.
package struct FileDescriptorStream: ByteSource, ByteSink {
  /// The descriptor.
  package let fd: Int32
  let name: String
  /// Whether `fd` is a regular file (found at the first read).
  var isRegularFile: Bool?

  /// Wraps `fd`; `name` appears in error messages.
  package init(fd: Int32, name: String) {
    self.fd = fd
    self.name = name
  }

  /// Opens `path` for reading.
  package static func open(path: String) throws(IOFailure) -> FileDescriptorStream {
    let fd = Platform.openForReading(path)
    guard fd >= 0 else { throw IOFailure(operation: "open \(path)", code: Platform.lastError) }
    return FileDescriptorStream(fd: fd, name: path)
  }

  /// Reads up to `buffer.count` bytes into `buffer`; returns 0 at the end. A stop signal (``Platform/stopSignal``)
  /// ends the read at once, even one waiting on a terminal or an idle pipe: it throws a `.stopped` failure.
  package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOFailure) -> Int {
    if isRegularFile == nil { isRegularFile = Platform.size(of: fd) != nil }
    while true {
      // A file never waits; anything else (a terminal, a pipe, a device) is waited on in slices that look
      // for the signal, so a read never blocks past it.
      let signal = isRegularFile == true ? Platform.stopSignal : Platform.waitForInput(fd)
      if let signal { throw IOFailure(operation: "stopped by signal \(signal)", code: signal, side: .stopped) }
      let n = Platform.read(fd, buffer.baseAddress, buffer.count)
      if n >= 0 { return n }
      if Platform.isInterrupted(Platform.lastError) { continue }  // the loop looks for the signal again
      throw IOFailure(operation: "read \(name)", code: Platform.lastError)
    }
  }

  /// Writes all of `bytes`.
  package mutating func write(_ bytes: UnsafeRawBufferPointer) throws(IOFailure) {
    var offset = 0
    while offset < bytes.count {
      let n = Platform.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if n < 0 {
        if Platform.isInterrupted(Platform.lastError) { continue }
        throw IOFailure(operation: "write \(name)", code: Platform.lastError, side: .output)
      }
      offset += n
    }
  }

  /// Closes the descriptor.
  package func close() { Platform.close(fd) }

  /// Whether no byte (nor the end of input) is ready to be read now.
  package func wouldWait() -> Bool { !Platform.isReadable(fd) }

  /// Whether the descriptor is a terminal.
  package var isTerminal: Bool { Platform.isTerminal(fd) }
}

/// Bytes in memory as a source (tests, and reading back a file already read).
package struct MemorySource: ByteSource {
  let bytes: [UInt8]
  var offset = 0
  /// The largest read returned at once (tests set it small to exercise chunk boundaries).
  let chunk: Int

  /// A source over `bytes`.
  package init(_ bytes: [UInt8], chunk: Int = .max) {
    self.bytes = bytes
    self.chunk = max(1, chunk)
  }

  /// Reads up to `buffer.count` bytes into `buffer`; returns 0 at the end.
  package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOFailure) -> Int {
    let n = min(buffer.count, bytes.count - offset, chunk)
    guard n > 0 else { return 0 }
    bytes.withUnsafeBytes { src in
      buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
    }
    offset += n
    return n
  }
}

/// Collects written bytes in memory.
package final class MemorySink: ByteSink {
  /// Everything written.
  package private(set) var bytes: [UInt8] = []
  /// The text written.
  package var text: String { String(decoding: bytes, as: UTF8.self) }

  /// An empty sink.
  package init() {}

  /// Writes all of `bytes`.
  package func write(_ bytes: UnsafeRawBufferPointer) throws(IOFailure) {
    self.bytes.append(contentsOf: bytes)
  }
}

extension ByteSource {
  /// Reads everything to the end.
  /// Reads to the end, or nil as soon as more than `limit` bytes arrive (the rest is not read).
  mutating func readAll(limit: Int = Tool.documentLimit) throws(IOFailure) -> [UInt8]? {
    var all: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = try chunk.withUnsafeMutableBytes { buffer in
        Result { () throws(IOFailure) in try read(into: buffer) }
      }.get()
      if n == 0 { return all }
      all.append(contentsOf: chunk[0..<n])
      if all.count > limit { return nil }
    }
  }
}

extension ByteSink {
  /// Writes a byte array.
  mutating func write(_ bytes: [UInt8]) throws(IOFailure) {
    try bytes.withUnsafeBytes { raw in Result { () throws(IOFailure) in try write(raw) } }.get()
  }

  /// Writes text.
  mutating func write(_ text: String) throws(IOFailure) {
    try write(Array(text.utf8))
  }
}

/// Splits a byte stream into lines on `\n` without holding more than one long line in memory:
/// a line over `limit` bytes is skipped to its end and reported as too long.
struct LineReader {
  /// A line's bytes (without `\n`), or `nil` for a line over the limit.
  typealias Line = UnsafeBufferPointer<UInt8>?

  let limit: Int
  var buffer: [UInt8]
  var start = 0
  var end = 0
  var eof = false

  init(limit: Int, chunk: Int = 1 << 20) {
    self.limit = limit
    buffer = [UInt8](repeating: 0, count: max(chunk, 1 << 12))
  }

  /// Calls `body` with each line in order. Text after the last `\n` is a line when not empty.
  /// When the source would wait before the next read, `idle` is called first (every complete line has
  /// been delivered by then).
  mutating func forEachLine<S: ByteSource>(
    from source: inout S, _ body: (Line) throws(CommandFailure) -> Void,
    idle: () throws(CommandFailure) -> Void = {}
  ) throws(CommandFailure) {
    var scanFrom = 0
    var discarding = false
    while true {
      // Deliver every complete line in the buffer.
      while true {
        let newline: Int? = buffer.withUnsafeBufferPointer { b in
          guard scanFrom < end else { return nil }
          guard let p = Platform.find(0x0A, in: b.baseAddress! + scanFrom, count: end - scanFrom) else { return nil }
          return UnsafeRawPointer(b.baseAddress!).distance(to: p)
        }
        guard let nl = newline else { break }
        if discarding {
          discarding = false
          try body(nil)
        } else {
          try buffer.withUnsafeBufferPointer { b in
            Result { () throws(CommandFailure) in try body(UnsafeBufferPointer(rebasing: b[start..<nl])) }
          }.get()
        }
        start = nl + 1
        scanFrom = start
      }
      // A partial line: too long already?
      if !discarding && end - start > limit + 1 {  // +1: a trailing `\r` is not counted
        discarding = true
      }
      if discarding {
        start = end
        scanFrom = end
      }
      if eof {
        if discarding {
          try body(nil)
        } else if start < end {
          try buffer.withUnsafeBufferPointer { b in
            Result { () throws(CommandFailure) in try body(UnsafeBufferPointer(rebasing: b[start..<end])) }
          }.get()
        }
        return
      }
      // Make room: move the partial line to the front, grow if it fills the buffer.
      if start > 0 {
        let count = end - start
        buffer.withUnsafeMutableBufferPointer { b in
          Platform.move(b.baseAddress!, b.baseAddress! + start, count: count)
        }
        end = count
        scanFrom -= start
        start = 0
      }
      if end == buffer.count {
        buffer.append(contentsOf: repeatElement(0, count: buffer.count))
      }
      if source.wouldWait() { try idle() }
      let n: Int
      do {
        n = try buffer.withUnsafeMutableBytes { raw in
          Result { () throws(IOFailure) in try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...])) }
        }.get()
      } catch { throw .io(error) }
      if n == 0 { eof = true } else { end += n }
    }
  }
}
