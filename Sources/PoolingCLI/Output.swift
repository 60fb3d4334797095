/// The one buffer between a verb and a byte sink: everything a verb writes, to standard output or standard
/// error, goes through one of these, handed over as it is made (a verb keeps no buffer of its own in front
/// of it). It writes out when the buffer passes 1 MiB and when asked (a streaming verb asks whenever its
/// input pauses); bytes of 64 KiB or more are written out at once, not copied into it.
final class Output {
  var sink: any ByteSink
  var buffer: [UInt8] = []
  static let flushThreshold = 1 << 20

  init(_ sink: any ByteSink) {
    self.sink = sink
    buffer.reserveCapacity(Output.flushThreshold + (1 << 16))
  }

  func write(_ text: String) throws(CommandFailure) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= Output.flushThreshold { try flush() }
  }

  /// Bytes at least this many are written out as they are, after what the buffer holds, rather than copied
  /// into it first (a block of `batch` output, written by the thread that also reads the input).
  static let directThreshold = 64 << 10

  func write(_ bytes: [UInt8]) throws(CommandFailure) {
    if bytes.count >= Output.directThreshold {
      try flush()
      try send(bytes)
      return
    }
    buffer.append(contentsOf: bytes)
    if buffer.count >= Output.flushThreshold { try flush() }
  }

  func flush() throws(CommandFailure) {
    guard !buffer.isEmpty else { return }
    defer { buffer.removeAll(keepingCapacity: true) }
    try send(buffer)
  }

  private func send(_ bytes: [UInt8]) throws(CommandFailure) {
    do { try sink.write(bytes) } catch {
      var failure = error
      failure.side = .output  // whatever the sink, a failure here is the output's
      throw .io(failure)
    }
  }
}
