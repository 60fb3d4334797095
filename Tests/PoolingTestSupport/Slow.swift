import Foundation
import Testing

/// Whether this run is a quick local one: `QUICK=1 swift test` skips the suites marked ``Testing/Trait/slow``.
/// CI never sets it (`.ci/run` unsets it), so CI runs everything.
public let isQuickRun: Bool = ProcessInfo.processInfo.environment["QUICK"].map { !$0.isEmpty && $0 != "0" } ?? false

extension Trait where Self == ConditionTrait {
  /// A suite or test that takes seconds (fuzzing, properties over many thousands of cases, child processes,
  /// big files): always run by `swift test` and CI, skipped by a quick local run (`QUICK=1 swift test`).
  /// Declared once, here, for every test target.
  public static var slow: Self {
    .enabled(if: !isQuickRun, "a slow suite: QUICK=1 skips it")
  }
}
