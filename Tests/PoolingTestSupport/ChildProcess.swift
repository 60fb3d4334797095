import Foundation
import Testing

/// Runs a program from the package folder with `environment` added to this process's (or, when `clean`,
/// with `environment` alone); its standard output and standard error are read together.
public func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:], clean: Bool = false)
  throws -> (status: Int32, output: String)
{
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  process.currentDirectoryURL = packageRoot
  process.environment = clean ? environment : ProcessInfo.processInfo.environment.merging(environment) { $1 }
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A tool a test needs (a program or a jar): its path, or nil. In CI (`CI=true`) a missing tool fails the test
/// instead of skipping it (`.ci/run` installs them: Debian's libjna-java, mono-mcs, mono-runtime, valgrind).
public func requiredTool(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
  if FileManager.default.isExecutableFile(atPath: path) || FileManager.default.fileExists(atPath: path) { return path }
  #expect(ProcessInfo.processInfo.environment["CI"] != "true", "\(path) is missing; .ci/run installs it", sourceLocation: sourceLocation)
  return nil
}

/// A product `swift test` built beside the test bundle (the executable, the shared library), or nil.
public func builtProduct(_ name: String) -> URL? {
  var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
  for _ in 0..<4 {
    folder.deleteLastPathComponent()
    let candidate = folder.appendingPathComponent(name)
    if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
  }
  return nil
}

/// The `outpatient-pooling` executable `swift test` built beside the test bundle, or nil.
public func builtExecutable() -> URL? { builtProduct("outpatient-pooling") }
