#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few operating-system calls the command line makes, in one place, so the rest of the package is
/// written once for every platform Swift runs on (Linux with glibc or musl, Apple's systems).
package enum Platform {
  /// The error number of the last failed call.
  package static var lastError: Int32 { errno }

  /// The text of an error number.
  package static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

  /// Whether `code` is "the reader went away" (a closed pipe).
  package static func isBrokenPipe(_ code: Int32) -> Bool { code == EPIPE }

  /// Whether `code` means "interrupted, try again".
  package static func isInterrupted(_ code: Int32) -> Bool { code == EINTR }

  /// Opens `path` for reading; `-1` on failure. (Callers that must not wait on a FIFO check ``kind(of:)`` first.)
  package static func openForReading(_ path: String) -> Int32 {
    open(path, O_RDONLY)
  }

  /// Reads up to `count` bytes.
  package static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Darwin)
      return Darwin.read(fd, buffer, count)
    #elseif canImport(Musl)
      return Musl.read(fd, buffer, count)
    #else
      return Glibc.read(fd, buffer, count)
    #endif
  }

  /// Writes up to `count` bytes.
  package static func write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Darwin)
      return Darwin.write(fd, buffer, count)
    #elseif canImport(Musl)
      return Musl.write(fd, buffer, count)
    #else
      return Glibc.write(fd, buffer, count)
    #endif
  }

  /// Closes a descriptor.
  package static func close(_ fd: Int32) {
    #if canImport(Darwin)
      _ = Darwin.close(fd)
    #elseif canImport(Musl)
      _ = Musl.close(fd)
    #else
      _ = Glibc.close(fd)
    #endif
  }

  /// What a path names, without following a final symbolic link.
  package enum FileKind: Sendable {
    case regular, directory, symbolicLink, other, missing
  }

  /// The kind of `path` (`lstat`: a symbolic link is reported as one).
  package static func kind(of path: String) -> FileKind {
    var st = stat()
    guard lstat(path, &st) == 0 else { return .missing }
    switch st.st_mode & S_IFMT {
    case S_IFREG: return .regular
    case S_IFDIR: return .directory
    case S_IFLNK: return .symbolicLink
    default: return .other
    }
  }

  /// The size of an open regular file, or nil.
  package static func size(of fd: Int32) -> Int? {
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
    return Int(st.st_size)
  }

  /// The suffix of the temporary files ``replaceFile(_:with:)`` writes, before its six random characters:
  /// `.NAME.outpatient-pooling-tmp-XXXXXX` beside `NAME`.
  package static let temporaryMarker = ".outpatient-pooling-tmp-"

  /// Whether `name` is a temporary file of ``replaceFile(_:with:)`` (or of the 0.2 tool, `NAME.tmp-XXXXXX` for
  /// a `NAME` ending in `.expected.json`) that a killed process left behind.
  package static func isLeftoverTemporary(_ name: String) -> Bool {
    /// `name` ends with `marker` and six letters or digits (what `mkstemp` puts for `XXXXXX`).
    func ends(with marker: String) -> Bool {
      let tail = name.suffix(marker.count + 6)
      return tail.count == marker.count + 6 && tail.hasPrefix(marker)
        && tail.dropFirst(marker.count).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
    return (name.hasPrefix(".") && ends(with: temporaryMarker)) || ends(with: ".expected.json.tmp-")
  }

  /// Writes `bytes` to `path` without ever leaving it half-written: to a new temporary file in the same
  /// directory (``temporaryMarker``), flushed to disk, then renamed over `path`, with the permissions of the
  /// file it replaces (0644 for a new one). On any failure the temporary file is removed and `path` is
  /// untouched; a process killed outright may leave the temporary file, which ``isLeftoverTemporary(_:)``
  /// recognises. Returns the error number, or 0.
  package static func replaceFile(_ path: String, with bytes: [UInt8]) -> Int32 {
    let slash = path.lastIndex(of: "/")
    let dir = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    var template = Array((dir + "." + name + temporaryMarker + "XXXXXX").utf8CString)
    var existing = stat()
    let mode: mode_t = stat(path, &existing) == 0 ? existing.st_mode & 0o7777 : 0o644
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { return errno }
    let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var offset = 0
    var failure: Int32 = 0
    bytes.withUnsafeBytes { raw in
      while offset < raw.count {
        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        offset += n
      }
    }
    if failure == 0 && fchmod(fd, mode) != 0 { failure = errno }
    if failure == 0 && fsync(fd) != 0 { failure = errno }
    close(fd)
    if failure == 0 && rename(temporary, path) != 0 { failure = errno }
    if failure != 0 { unlink(temporary) }
    return failure
  }

  /// Makes the directory `path` (0755) unless it is one already. Returns the error number, or 0.
  package static func makeDirectory(_ path: String) -> Int32 {
    if mkdir(path, 0o755) == 0 { return 0 }
    let failure = errno
    return failure == EEXIST && kind(of: path) == .directory ? 0 : failure
  }

  /// Removes the regular files in `dir` that ``isLeftoverTemporary(_:)`` recognises; returns their names.
  package static func removeLeftoverTemporaries(in dir: String) -> [String] {
    var removed: [String] = []
    for (name, kind) in entries(of: dir) ?? [] where kind == .regular && isLeftoverTemporary(name) {
      if unlink(dir.hasSuffix("/") ? dir + name : dir + "/" + name) == 0 { removed.append(name) }
    }
    return removed
  }

  /// The names in a directory (not `.` and `..`), sorted, each with whether it is a directory; nil when
  /// it cannot be read. Symbolic links are reported as what they are, not followed.
  package static func entries(of dir: String) -> [(name: String, kind: FileKind)]? {
    guard let handle = opendir(dir) else { return nil }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted().map { name in
      (name, kind(of: dir.hasSuffix("/") ? dir + name : dir + "/" + name))
    }
  }

  /// The first `byte` in `count` bytes at `start`, or nil.
  package static func find(_ byte: UInt8, in start: UnsafeRawPointer, count: Int) -> UnsafeRawPointer? {
    memchr(start, Int32(byte), count).map { UnsafeRawPointer($0) }
  }

  /// Moves `count` bytes from `source` to `destination` (the ranges may overlap).
  package static func move(_ destination: UnsafeMutableRawPointer, _ source: UnsafeRawPointer, count: Int) {
    memmove(destination, source, count)
  }

  /// Makes a write to a closed pipe fail with EPIPE (the tool then stops quietly) instead of killing the process.
  package static func ignoreBrokenPipeSignal() { signal(SIGPIPE, SIG_IGN) }

  /// Ends the process with `status`.
  package static func exit(_ status: Int32) -> Never {
    #if canImport(Darwin)
      Darwin.exit(status)
    #elseif canImport(Musl)
      Musl.exit(status)
    #else
      Glibc.exit(status)
    #endif
  }

  /// Whether a read of `fd` would return within `milliseconds` (data, the end of input, or an error)
  /// rather than wait longer. A short grace keeps a fast stream whose writer is momentarily behind from
  /// being taken for a client that paused.
  package static func isReadable(_ fd: Int32, within milliseconds: Int32 = 2) -> Bool {
    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&p, 1, milliseconds) != 0
  }

  /// Asks to be told of SIGTERM, SIGINT and SIGHUP instead of dying mid-line: commands then write what they
  /// have completed and stop at a line boundary (``stopSignal``). The handler is installed without
  /// `SA_RESTART`, so a read blocked on a terminal or an idle pipe returns (`EINTR`) and the reader sees the
  /// signal at once.
  package static func catchStopSignals() {
    for sig in [SIGTERM, SIGINT, SIGHUP] {
      var action = sigaction()
      #if canImport(Darwin)
        action.__sigaction_u.__sa_handler = { received in receivedStopSignal = received }
      #elseif canImport(Musl)
        action.__sa_handler.sa_handler = { received in receivedStopSignal = received }
      #else
        action.__sigaction_handler.sa_handler = { received in receivedStopSignal = received }
      #endif
      sigemptyset(&action.sa_mask)
      action.sa_flags = 0  // no SA_RESTART: a blocked read is interrupted
      sigaction(sig, &action, nil)
    }
    // A parent may have started this process with them blocked (the mask is inherited): let them through.
    var set = sigset_t()
    sigemptyset(&set)
    for sig in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, sig) }
    sigprocmask(SIG_UNBLOCK, &set, nil)
  }

  /// Waits until `fd` has something to read (data, the end of input, or an error), a slice of
  /// `milliseconds` at a time, and returns early with the stop signal when one arrives (a signal that comes
  /// between the check and the wait is seen within one slice).
  package static func waitForInput(_ fd: Int32, slice milliseconds: Int32 = 100) -> Int32? {
    while true {
      if let signal = stopSignal { return signal }
      var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      if poll(&p, 1, milliseconds) != 0 { return stopSignal }  // ready (or a poll error: the read reports it)
    }
  }

  /// A thread of its own (not one of Dispatch's shared pool, so it can wait on its peers without starving
  /// them), running `body`; the stop signals are blocked on it, so that they reach the thread that reads.
  package struct Thread: @unchecked Sendable {
    let handle: pthread_t

    /// Starts a thread running `body`.
    package init(_ body: @escaping @Sendable () -> Void) {
      final class Start {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
      }
      let start = Unmanaged.passRetained(Start(body)).toOpaque()
      #if canImport(Glibc)
        var handle = pthread_t()
        let made = pthread_create(
          &handle, nil,
          { raw in
            Platform.blockStopSignals()
            Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
          }, start)
        precondition(made == 0, "pthread_create failed: \(made)")
        self.handle = handle
      #elseif canImport(Darwin)
        var handle: pthread_t?
        let made = pthread_create(
          &handle, nil,
          { raw in
            Platform.blockStopSignals()
            Unmanaged<Start>.fromOpaque(raw).takeRetainedValue().body()
            return nil
          }, start)
        precondition(made == 0 && handle != nil, "pthread_create failed: \(made)")
        self.handle = handle!
      #else
        var handle: pthread_t?
        let made = pthread_create(
          &handle, nil,
          { raw in
            Platform.blockStopSignals()
            Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
          }, start)
        precondition(made == 0 && handle != nil, "pthread_create failed: \(made)")
        self.handle = handle!
      #endif
    }

    /// Waits for the thread to end.
    package func join() { pthread_join(handle, nil) }
  }

  /// Blocks SIGTERM, SIGINT and SIGHUP on the calling thread (a worker's), so a stop signal interrupts the
  /// thread that reads rather than one that settles.
  static func blockStopSignals() {
    var set = sigset_t()
    sigemptyset(&set)
    for sig in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, sig) }
    pthread_sigmask(SIG_BLOCK, &set, nil)
  }

  /// The stop signal received, if any.
  package static var stopSignal: Int32? { receivedStopSignal == 0 ? nil : receivedStopSignal }

  /// Whether `fd` is a terminal.
  package static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// The number of processors online.
  package static var processors: Int {
    #if canImport(Darwin)
      return max(1, Int(sysconf(_SC_NPROCESSORS_ONLN)))
    #else
      return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #endif
  }
}

/// Set by the signal handler only (an async-signal-safe store of one word); read between blocks of lines.
nonisolated(unsafe) private var receivedStopSignal: Int32 = 0
