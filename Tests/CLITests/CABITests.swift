import Foundation
import Testing

/// The C ABI from outside Swift: `Tests/CABI/abi_check.c` compiled with `cc` against the header and the
/// shared library `swift test` has just built beside this test binary, then the Python ctypes example of
/// `Docs/bindings/settle.py`. Both check real results (see their sources) and print what they saw.
@Suite(.serialized, .tags(.slow)) struct CABITests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The folder of the build products: the test binary's own folder (`.build/<triple>/debug`).
  static var library: URL? {
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    for _ in 0..<4 {
      folder.deleteLastPathComponent()
      let candidate = folder.appendingPathComponent("libOutpatientPoolingC.so")
      if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
    }
    return nil
  }

  static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
    -> (status: Int32, output: String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = root
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test func cProgramAgainstTheSharedLibrary() throws {
    let library = try #require(Self.library, "libOutpatientPoolingC.so is built by swift build / swift test")
    let binary = FileManager.default.temporaryDirectory.appendingPathComponent("abi_check-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: binary) }
    let compile = try Self.run(
      "/usr/bin/env",
      [
        "cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", "Sources/OutpatientPoolingC/include",
        "Tests/CABI/abi_check.c", "-L", library.deletingLastPathComponent().path, "-lOutpatientPoolingC",
        "-lpthread", "-o", binary,
      ])
    #expect(compile.status == 0, "cc: \(compile.output)")
    guard compile.status == 0 else { return }
    let check = try Self.run(binary, ["Fixtures"], environment: ["LD_LIBRARY_PATH": library.deletingLastPathComponent().path])
    #expect(check.status == 0, "\(check.output)")
    #expect(check.output.contains("abi_check: all checks passed"))
    #expect(check.output.contains("\"pooling\":\"88.00\""))
  }

  @Test func pythonCtypesExample() throws {
    let library = try #require(Self.library)
    let python = try Self.run("/usr/bin/env", ["python3", "Docs/bindings/settle.py", library.path])
    #expect(python.status == 0, "\(python.output)")
    #expect(python.output.contains("pooling 88.00 account 162.00 cash 0.00"))
    #expect(python.output.contains("160.00 × 55% = 88.00"))
    #expect(python.output.contains("python ctypes example: ok"))
  }
}
