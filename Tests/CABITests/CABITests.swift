import Foundation
import PoolingTestSupport
import Testing

/// The C ABI from outside Swift: `Tests/CABI/abi_check.c` compiled with `cc` against the header and the
/// shared library `swift test` has just built beside this test binary, then the Python ctypes example of
/// `Docs/bindings/settle.py`. Both check real results (see their sources) and print what they saw.
@Suite(.serialized, .slow) struct CABITests {
  /// The folder of the build products: the test binary's own folder (`.build/<triple>/debug`).
  static var library: URL? { builtProduct("libOutpatientPoolingC.so") }

  @Test func cProgramAgainstTheSharedLibrary() throws {
    let library = try #require(Self.library, "libOutpatientPoolingC.so is built by swift build / swift test")
    let binary = FileManager.default.temporaryDirectory.appendingPathComponent("abi_check-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: binary) }
    let compile = try runProcess(
      "/usr/bin/env",
      [
        "cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", "Sources/OutpatientPoolingC/include",
        "Tests/CABI/abi_check.c", "-L", library.deletingLastPathComponent().path, "-lOutpatientPoolingC",
        "-lpthread", "-o", binary,
      ])
    #expect(compile.status == 0, "cc: \(compile.output)")
    guard compile.status == 0 else { return }
    let check = try runProcess(binary, ["Fixtures"], environment: ["LD_LIBRARY_PATH": library.deletingLastPathComponent().path])
    #expect(check.status == 0, "\(check.output)")
    #expect(check.output.contains("abi_check: all checks passed"))
    #expect(check.output.contains("\"pooling\":\"88.00\""))
  }

  @Test func pythonCtypesExample() throws {
    let library = try #require(Self.library)
    let python = try runProcess("/usr/bin/env", ["python3", "Docs/bindings/settle.py", library.path])
    #expect(python.status == 0, "\(python.output)")
    #expect(python.output.contains("pooling 88.00 account 162.00 cash 0.00"))
    #expect(python.output.contains("160.00 × 55% = 88.00"))
    #expect(python.output.contains("retry alreadySettled visit.id stored pooling 60.00"))
    #expect(python.output.contains("label 达到年度最高支付限额"))
    #expect(python.output.contains("python ctypes example: ok"))
  }

  /// The C program under valgrind with the shipped suppression file: no error (the Swift runtime's caches,
  /// "possibly lost", are the only thing suppressed); and a program that forgets `op_result_free` is still caught.
  @Test func valgrindWithTheShippedSuppressions() throws {
    let library = try #require(Self.library)
    guard let valgrind = requiredTool("/usr/bin/valgrind") else { return }
    let folder = library.deletingLastPathComponent().path
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("valgrind-\(getpid())")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let leaky = scratch.appendingPathComponent("leaky.c")
    try Data(
      """
      #include <string.h>
      #include "outpatient_pooling.h"
      int main(void) {
        op_engine *e = op_engine_create("zhengzhou-2022", 14, NULL);
        const char *c = "{\\"id\\":\\"C\\",\\"member\\":{\\"id\\":\\"M\\",\\"employment\\":\\"employee\\"},\\"visits\\":[]}";
        op_settle_case(e, c, strlen(c), 0); /* the result is never freed */
        op_engine_free(e);
        return 0;
      }
      """.utf8
    ).write(to: leaky)
    for (source, binary) in [("Tests/CABI/abi_check.c", "abi_check"), (leaky.path, "leaky")] {
      let compile = try runProcess(
        "/usr/bin/env",
        [
          "cc", "-std=c11", "-I", "Sources/OutpatientPoolingC/include", source, "-L", folder, "-lOutpatientPoolingC",
          "-lpthread", "-o", scratch.appendingPathComponent(binary).path,
        ])
      #expect(compile.status == 0, "cc \(source): \(compile.output)")
    }
    let arguments = ["--leak-check=full", "--error-exitcode=9", "--suppressions=Tests/CABI/swift-runtime.supp"]
    let clean = try runProcess(
      valgrind, arguments + [scratch.appendingPathComponent("abi_check").path, "Fixtures"],
      environment: ["LD_LIBRARY_PATH": folder])
    #expect(clean.status == 0 && clean.output.contains("ERROR SUMMARY: 0 errors"), "\(clean.output.suffix(2_000))")
    #expect(clean.output.contains("abi_check: all checks passed"))
    let leak = try runProcess(
      valgrind, arguments + [scratch.appendingPathComponent("leaky").path], environment: ["LD_LIBRARY_PATH": folder])
    #expect(leak.status == 9 && leak.output.contains("definitely lost"), "\(leak.output.suffix(2_000))")
  }

  @Test func javaJNAExample() throws {
    let library = try #require(Self.library)
    guard let jna = requiredTool("/usr/share/java/jna.jar"), requiredTool("/usr/bin/javac") != nil else { return }
    let classes = FileManager.default.temporaryDirectory.appendingPathComponent("settle-java-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: classes) }
    let compile = try runProcess("/usr/bin/env", ["javac", "-cp", jna, "-d", classes, "Docs/bindings/Settle.java"])
    #expect(compile.status == 0, "javac: \(compile.output)")
    guard compile.status == 0 else { return }
    let java = try runProcess("/usr/bin/env", ["java", "-cp", "\(jna):\(classes)", "Settle", library.path])
    #expect(java.status == 0, "\(java.output)")
    #expect(java.output.contains("trace: 政策范围内费用 200.00 − 起付标准 40.00 = 160.00；160.00 × 55% = 88.00 → 统筹基金支付 88.00"))
    #expect(java.output.contains("retry: alreadySettled at visit.id"))
    #expect(java.output.contains("java jna example: ok"))
  }

  /// The Java wrapper built into a jar by its script, and a program that uses only the jar (and JNA).
  @Test func javaJarWrapper() throws {
    let library = try #require(Self.library)
    guard let jna = requiredTool("/usr/share/java/jna.jar"), requiredTool("/usr/bin/javac") != nil else { return }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("java-jar-\(getpid())")
    defer { try? FileManager.default.removeItem(at: scratch) }
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let jar = scratch.appendingPathComponent("outpatient-pooling.jar").path
    let build = try runProcess("/bin/sh", ["Docs/bindings/java/build-jar.sh", jar])
    #expect(build.status == 0 && FileManager.default.fileExists(atPath: jar), "build-jar.sh: \(build.output)")
    guard build.status == 0 else { return }
    let listing = try runProcess("/usr/bin/env", ["jar", "--list", "--file", jar])
    #expect(listing.output.contains("org/outpatientpooling/OutpatientPooling$Engine.class"), "\(listing.output)")
    let classes = scratch.appendingPathComponent("classes").path
    let compile = try runProcess("/usr/bin/env", ["javac", "-cp", jar, "-d", classes, "Docs/bindings/java/Example.java"])
    #expect(compile.status == 0, "javac: \(compile.output)")
    guard compile.status == 0 else { return }
    let java = try runProcess("/usr/bin/env", ["java", "-cp", "\(jar):\(jna):\(classes)", "Example", library.path])
    #expect(java.status == 0, "\(java.output)")
    #expect(java.output.contains("retry: alreadySettled at visit.id (该就诊已结算，不再重复结算)"))
    #expect(java.output.contains(#"refund: {"pooling":"-60.00","account":"0.00","cash":"-80.00"}"#))
    #expect(java.output.contains("java jar example: ok"))
  }

  @Test func csharpPInvokeExample() throws {
    let library = try #require(Self.library)
    guard requiredTool("/usr/bin/mcs") != nil, requiredTool("/usr/bin/mono") != nil else { return }
    let exe = FileManager.default.temporaryDirectory.appendingPathComponent("Settle-\(getpid()).exe").path
    defer { try? FileManager.default.removeItem(atPath: exe) }
    let compile = try runProcess("/usr/bin/env", ["mcs", "-out:\(exe)", "Docs/bindings/Settle.cs"])
    #expect(compile.status == 0, "mcs: \(compile.output)")
    guard compile.status == 0 else { return }
    let mono = try runProcess(
      "/usr/bin/env", ["mono", exe, library.path],
      environment: ["LD_LIBRARY_PATH": library.deletingLastPathComponent().path])
    #expect(mono.status == 0, "\(mono.output)")
    #expect(mono.output.contains("csharp pinvoke example: ok"))
    #expect(mono.output.contains("refund by id: \"adjustment\":{\"pooling\":\"-88.00\""))
    #expect(mono.output.contains("统筹基金支付 88.00"))
    #expect(mono.output.contains("retry: alreadySettled at visit.id"))
  }

  /// The self-contained release build the integrator's guide documents: the Swift runtime linked in, only the
  /// C ABI exported. Built into its own scratch folder, copied alone into an empty folder, and run by the C
  /// check from a process whose environment names no Swift toolchain folder at all.
  @Test func selfContainedLibraryLoadsWithoutTheSwiftRuntime() throws {
    let scratch = packageRoot.appendingPathComponent(".build/self-contained").path
    let build = try runProcess(
      "/usr/bin/env",
      [
        "swift", "build", "-c", "release", "--product", "OutpatientPoolingC", "--scratch-path", scratch,
        "-Xswiftc", "-static-stdlib", "-Xlinker", "--version-script=Sources/OutpatientPoolingC/exports.map",
      ])
    #expect(build.status == 0, "swift build: \(build.output)")
    guard build.status == 0 else { return }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("self-contained-\(getpid())")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let library = folder.appendingPathComponent("libOutpatientPoolingC.so")
    try FileManager.default.copyItem(
      at: URL(fileURLWithPath: scratch).appendingPathComponent("release/libOutpatientPoolingC.so"), to: library)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["libOutpatientPoolingC.so"])

    // What the loader will look for: nothing of Swift, and no search path into a toolchain.
    let needed = try runProcess("/usr/bin/env", ["readelf", "-d", library.path])
    #expect(needed.status == 0, "\(needed.output)")
    let libraries = needed.output.split(separator: "\n").filter { $0.contains("(NEEDED)") || $0.contains("PATH)") }
    #expect(!libraries.isEmpty)
    for line in libraries { #expect(!line.lowercased().contains("swift"), "\(line)") }
    // Exported: the sixteen functions of the header, nothing else.
    let symbols = try runProcess("/usr/bin/env", ["nm", "-D", "--defined-only", library.path])
    let global = symbols.output.split(separator: "\n").compactMap { line -> Substring? in
      let fields = line.split(separator: " ")
      guard fields.count == 3, fields[1].first?.isUppercase == true else { return nil }
      return fields[2]
    }
    #expect(global.count == 16 && global.allSatisfy { $0.hasPrefix("op_") }, "\(global)")

    let binary = folder.appendingPathComponent("abi_check").path
    let compile = try runProcess(
      "/usr/bin/env",
      [
        "cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", "Sources/OutpatientPoolingC/include",
        "Tests/CABI/abi_check.c", "-L", folder.path, "-lOutpatientPoolingC", "-lpthread", "-o", binary,
      ])
    #expect(compile.status == 0, "cc: \(compile.output)")
    guard compile.status == 0 else { return }
    let check = try runProcess(binary, ["Fixtures"], environment: ["PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": folder.path], clean: true)
    #expect(check.status == 0, "\(check.output)")
    #expect(check.output.contains("abi_check: all checks passed"))
    #expect(check.output.contains("\"pooling\":\"88.00\""))
  }

  /// The integrator's guide shows the callers the tests run, line for line.
  @Test func theGuideShowsTheCallersThatRun() throws {
    let guide = try String(contentsOf: packageRoot.appendingPathComponent("Docs/integrators-guide.md"), encoding: .utf8)
    for (language, file) in [
      ("java", "Docs/bindings/Settle.java"), ("java", "Docs/bindings/java/Example.java"), ("csharp", "Docs/bindings/Settle.cs"),
    ] {
      let code = try String(contentsOf: packageRoot.appendingPathComponent(file), encoding: .utf8)
      #expect(guide.contains("```\(language)\n" + code + "```"), "the guide's \(language) block is \(file)")
    }
  }
}
