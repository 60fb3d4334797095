import PoolingText
import PoolingCore
import PoolingWire

extension Tool {
  static let rulesHelp = """
    usage: outpatient-pooling rules [show] [--rules ID|FILE]
           outpatient-pooling rules validate FILE

    show      print the rule set (the built-in zhengzhou-2022 by default) as a rule file (Docs/rule-files.md)
    validate  check a rule or timeline file: exit 0 when valid, else list every problem with its JSON path
              (one JSON object per line) and exit 3

    """

  mutating func rules(_ options: RulesOptions) throws(CommandFailure) -> ExitStatus {
    switch options.action {
    case .show(let book):
      try stdout.write(RuleSetCoding.encode(book))
      return .success
    case .validate(let path):
      var file: FileDescriptorStream
      do { file = try FileDescriptorStream.open(path: path) } catch { throw .usage(error.message) }
      defer { file.close() }
      let read: [UInt8]?
      do { read = try file.readAll() } catch { throw .io(error) }
      guard let bytes = read else {
        throw .usage("\(path): over \(Tool.documentLimit >> 20) MiB; not a rule file")
      }
      let problems = RuleSetCoding.problems(bytes)
      guard problems.isEmpty else {
        var w = JSONWriter()
        for problem in problems {
          CaseOutputEncoder.write(problem, id: nil, line: nil, to: &w)
          w.bytes.append(0x0A)
        }
        try stdout.write(w.bytes)
        return .inputRejected
      }
      let book: RuleBook
      // The problems are none, so the file decodes; were it not to, the failure is not the user's.
      do { book = try RuleSetCoding.decodeBook(bytes) } catch { throw .unexpected("\(error)") }
      if case .timeline(let t) = book {
        try stdout.write("\(path.visible): valid timeline \(t.id.visible) (\(t.versions.count) versions)\n")
      } else {
        try stdout.write("\(path.visible): valid rule set \(book.id.visible)\n")
      }
      return .success
    }
  }
}
