import PoolingCore

/// Why a command stopped before it finished. `Tool.run` turns each case into one exit status and one
/// message; a verb that rejects some of its input but finishes returns `ExitStatus.inputRejected` instead.
package enum CommandFailure: Error, Sendable {
  /// A wrong verb, option or value, or an input or rule file that cannot be used (exit 2).
  case usage(UsageError)
  /// A read or a write failed, or a stop signal ended the run; `IOFailure.side` says which.
  case io(IOFailure)
  /// A failure no verb expects, shown as it describes itself (exit 2).
  case unexpected(String)

  /// A usage failure with its message in English and, when given, 中文.
  static func usage(_ message: String, zh: String? = nil) -> CommandFailure {
    .usage(UsageError(message, zh: zh))
  }
}

/// The text of a usage failure: wrong verb, option or value (exit 2).
package struct UsageError: Sendable {
  var message: String
  /// The same in 中文, shown when the command line asks for `--lang zh`; nil: the English text is shown.
  var chinese: String?
  init(_ message: String, zh chinese: String? = nil) {
    self.message = message
    self.chinese = chinese
  }

  func message(in language: Language) -> String { language == .zh ? chinese ?? message : message }
}
