// swift-tools-version:6.3
import PackageDescription

let package = Package(
  name: "OutpatientPooling",
  products: [
    // What billing software links: the engine and the wire format (Docs/format.md).
    .library(name: "OutpatientPooling", targets: ["OutpatientPooling"]),
    // What a policy or vendor team's Swift code links to compare rule sets over a corpus: the diff summary, its
    // JSON, attribution, shard fingerprints, and the table, CSV and HTML reports (Docs/rule-changes.md).
    .library(name: "PoolingRegression", targets: ["PoolingRegression"]),
    .executable(name: "outpatient-pooling", targets: ["outpatient-pooling"]),
    // What billing systems in any language link: a shared library with the C ABI of
    // Sources/OutpatientPoolingC/include/outpatient_pooling.h (libOutpatientPoolingC.so).
    .library(name: "OutpatientPoolingC", type: .dynamic, targets: ["OutpatientPoolingC"]),
  ],
  targets: [
    // The rules and the settlement engine: pure values, no Foundation, no I/O.
    .target(name: "PoolingCore"),
    // The wire format's JSON: a hand-written UTF-8 reader and writer over bytes.
    .target(name: "PoolingWire", dependencies: ["PoolingCore"]),
    // The umbrella module a host imports.
    .target(name: "OutpatientPooling", dependencies: ["PoolingCore", "PoolingWire"]),
    // Text for people, shared by the clerk's tables and the reports: aligned columns, input made safe to show.
    .target(name: "PoolingText"),
    // Rule-change reports: settle a corpus under two rule books and summarise, merge and render the difference.
    .target(name: "PoolingRegression", dependencies: ["PoolingCore", "PoolingWire", "PoolingText"]),
    // The C ABI over the engine and the wire format.
    .target(name: "OutpatientPoolingC", dependencies: ["PoolingCore", "PoolingWire"], exclude: ["include", "exports.map"]),
    // The verbs of the command line, over byte streams, so tests run them in-process.
    .target(name: "PoolingCLI", dependencies: ["PoolingCore", "PoolingWire", "PoolingRegression", "PoolingText", "PoolingGenerate"]),
    // Deterministic synthetic cases (`generate`) and the seeded generator the tests share: a tool, not the engine.
    .target(name: "PoolingGenerate", dependencies: ["PoolingCore"]),
    .executableTarget(name: "outpatient-pooling", dependencies: ["PoolingCLI"]),
    // Benchmarks: `swift run -c release outpatient-pooling-bench` (not run by `swift test`), with a counter of
    // the process's heap allocations (a C file that stands in for malloc and friends; the bench's alone).
    .target(name: "PoolingAllocationCounter"),
    .executableTarget(
      name: "outpatient-pooling-bench",
      dependencies: ["PoolingCLI", "PoolingCore", "PoolingWire", "PoolingRegression", "PoolingGenerate", "PoolingAllocationCounter"]),
    // What the test targets share (not products): the seeded random cases, the fixtures folder and golden files,
    // the child-process runner and the built products, and the `.slow` trait a quick local run (QUICK=1) skips.
    .target(name: "PoolingTestSupport", dependencies: ["PoolingCore", "PoolingGenerate"], path: "Tests/PoolingTestSupport"),
    // The tool run in-process over memory streams, for the test targets that drive the command line; it
    // re-exports PoolingTestSupport.
    .target(name: "CLITestSupport", dependencies: ["PoolingCLI", "PoolingTestSupport"], path: "Tests/CLITestSupport"),
    // The engine: money and dates, settlement by table and by property, ledgers and journals, rule timelines,
    // crediting, fund monitoring, traces and citations, and its exact allocation count (the counter's malloc).
    .testTarget(name: "PoolingCoreTests", dependencies: ["PoolingCore", "PoolingTestSupport", "PoolingAllocationCounter"]),
    // The wire format: reading, writing and round trips, rule files, refunds and tariffs; the allocation counts
    // of the engine and the case processor (from the release benchmark, run as a child process) and the corpus
    // figures of Docs/performance.md.
    .testTarget(name: "PoolingWireTests", dependencies: ["PoolingCore", "PoolingWire", "PoolingTestSupport"]),
    // Seeded mutation fuzzing of the wire layer and of the C ABI (FUZZ_ITERATIONS / FUZZ_MINUTES / FUZZ_SEED for
    // long runs).
    .testTarget(name: "FuzzTests", dependencies: ["PoolingCore", "PoolingWire", "PoolingTestSupport", "OutpatientPoolingC"]),
    // The library as a host uses it: the guide's code, Codable, and the curated list of public declarations
    // (PublicAPI.txt, read by PublicAPITests).
    .testTarget(name: "LibraryTests", dependencies: ["OutpatientPooling", "PoolingTestSupport"], exclude: ["PublicAPI.txt"]),
    // The C library from outside Swift (the C program in Tests/CABI, the Python, Java and C# callers, valgrind, the
    // self-contained build) and every way in giving the same answer: values, bytes, the command line, the C ABI.
    .testTarget(name: "CABITests", dependencies: ["OutpatientPooling", "OutpatientPoolingC", "CLITestSupport"]),
    // The rule-change reports: the diff summary and its attribution, shard fingerprints and merges, the table,
    // CSV and HTML forms, through the library and through `diff`, and the Spark job over the executable.
    .testTarget(
      name: "PoolingRegressionTests", dependencies: ["PoolingRegression", "PoolingCore", "PoolingWire", "PoolingCLI", "CLITestSupport"]),
    // The command line: every verb in-process and as a child process (golden files, signals, bounded memory,
    // interactive clients), and the examples of the documentation run through it.
    .testTarget(
      name: "CLITests", dependencies: ["PoolingCLI", "PoolingCore", "PoolingWire", "PoolingRegression", "CLITestSupport"]),
  ]
)
