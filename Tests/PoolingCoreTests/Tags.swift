import Testing

extension Tag {
  /// Suites that take seconds (fuzzing, properties over many cases, processes and files): CI runs them
  /// all; a quick local run skips them with `swift test --skip "<suite names>"` (see README).
  @Tag static var slow: Self
}
