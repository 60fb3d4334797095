/// The library's version, shared by the command line (`--version`) and the C ABI (`op_version`).
public enum Version {
  /// `0.4.0`; a static string so that C callers can be handed a pointer to it.
  public static let text: StaticString = "0.4.0"
}
