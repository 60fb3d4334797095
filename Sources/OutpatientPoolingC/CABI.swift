// The C ABI: `include/outpatient_pooling.h` declares these functions; `Docs/integrators-guide.md` shows
// them called from C, Python, Java and C#.
//
// Ownership: an engine is created by `op_engine_create` and released by `op_engine_free`; every result is
// created by a settle call (or an engine creation that failed) and released by `op_result_free`. The strings
// a result hands out live as long as the result. Nothing is global and nothing mutable is shared: an engine
// is an immutable rule book, so any number of threads may settle through one engine at once.
import PoolingCore
import PoolingWire

/// What an `op_engine` handle points to: the library's engine, its rules checked once when it was made.
/// Immutable, so safe to share across threads.
final class EngineBox: Sendable {
  let engine: PoolingCore.Engine
  var rules: RuleBook { engine.rules }
  init(_ engine: PoolingCore.Engine) { self.engine = engine }
}

/// The answer to one call: output JSON, or an error with its code, path and message. Immutable once made.
final class CallResult {
  let settled: Bool
  let json: UnsafeMutablePointer<CChar>
  let jsonLength: Int
  let code: UnsafeMutablePointer<CChar>?
  let path: UnsafeMutablePointer<CChar>?
  let message: UnsafeMutablePointer<CChar>?
  /// The answer's top-level members: each name with the byte range of its value in `json`.
  let parts: [(name: [UInt8], value: Range<Int>)]

  init(settled json: [UInt8]) {
    settled = true
    (self.json, jsonLength) = CallResult.copy(json)
    code = nil
    path = nil
    message = nil
    parts = CallResult.topLevelMembers(of: json)
  }

  init(rejected error: InputError, id: String?) {
    settled = false
    var w = JSONWriter()
    CaseOutputEncoder.write(error, id: id, line: nil, to: &w)
    (json, jsonLength) = CallResult.copy(w.bytes)
    code = CallResult.copy(Array(error.code.rawValue.utf8)).pointer
    // The same as the JSON: a path (possibly "" for the top level) unless the error has none.
    path = error.code == .malformedJSON || error.code == .lineTooLong ? nil : CallResult.copy(Array(error.path.utf8)).pointer
    message = CallResult.copy(Array(error.message.utf8)).pointer
    parts = CallResult.topLevelMembers(of: w.bytes)
  }

  /// The members of the object `json` (as this library writes it: compact, keys without escapes), each
  /// name with the byte range of its value. One pass; strings (with their escapes) are skipped whole.
  static func topLevelMembers(of json: [UInt8]) -> [(name: [UInt8], value: Range<Int>)] {
    var members: [(name: [UInt8], value: Range<Int>)] = []
    var depth = 0
    var inString = false
    var escaped = false
    var keyStart = -1
    var name: [UInt8] = []
    var valueStart = -1
    for (i, byte) in json.enumerated() {
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
          if depth == 1 && keyStart >= 0 && valueStart < 0 && name.isEmpty {
            name = Array(json[keyStart..<i])
          }
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        inString = true
        if depth == 1 && valueStart < 0 && name.isEmpty { keyStart = i + 1 }
      case UInt8(ascii: ":") where depth == 1 && valueStart < 0:
        valueStart = i + 1
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        if depth == 1 && valueStart >= 0 {
          members.append((name, valueStart..<i))
        }
        depth -= 1
      case UInt8(ascii: ",") where depth == 1:
        if valueStart >= 0 { members.append((name, valueStart..<i)) }
        name = []
        keyStart = -1
        valueStart = -1
      default:
        break
      }
    }
    return members
  }

  deinit {
    json.deallocate()
    code?.deallocate()
    path?.deallocate()
    message?.deallocate()
  }

  /// A NUL-terminated copy the C side can read until the result is freed.
  static func copy(_ bytes: [UInt8]) -> (pointer: UnsafeMutablePointer<CChar>, count: Int) {
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
    bytes.withUnsafeBytes { raw in
      UnsafeMutableRawPointer(p).copyMemory(from: raw.baseAddress ?? UnsafeRawPointer(p), byteCount: bytes.count)
    }
    p[bytes.count] = 0
    return (p, bytes.count)
  }

  func retained() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }
}

/// The option bits of the settle calls (`OP_EXPLAIN`, `OP_LANG_ZH`, `OP_FORMAT_NHSA2207` in the header).
struct Options {
  let explain: Bool
  let language: Language
  let format: CaseProcessor.OutputFormat

  init(_ bits: UInt32) {
    explain = bits & 1 != 0
    language = bits & 2 != 0 ? .zh : .en
    format = bits & 4 != 0 ? .nhsa2207 : .caseOutput
  }
}

func bytes(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> [UInt8]? {
  guard let pointer else { return length == 0 ? [] : nil }
  return Array(UnsafeRawBufferPointer(start: pointer, count: length))
}

/// An error result for a length no memory can hold (a `size_t` of 2^63 or more arrives negative) or for
/// option bits the call does not define; nil when both are fine.
func refuse(length: Int, options: UInt32, allowed: UInt32) -> OpaquePointer? {
  if length < 0 {
    return CallResult(
      rejected: InputError(.malformedJSON, path: "", "a length of \(UInt(bitPattern: length)) bytes cannot be read"), id: nil
    ).retained()
  }
  if options & ~allowed != 0 {
    return CallResult(
      rejected: InputError(.invalidType, path: "", "unknown option bits 0x\(String(options & ~allowed, radix: 16))"), id: nil
    ).retained()
  }
  return nil
}

func engine(_ handle: OpaquePointer?) -> EngineBox? {
  guard let handle else { return nil }
  return Unmanaged<EngineBox>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
}

func result(_ handle: OpaquePointer?) -> CallResult? {
  guard let handle else { return nil }
  return Unmanaged<CallResult>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
}

/// `const char *op_version(void)`: the library version, e.g. `"0.4.0"`; a static string, never freed.
@c(op_version)
public func op_version() -> UnsafePointer<CChar> {
  UnsafeRawPointer(Version.text.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// `int op_abi_version(void)`: the version of this C interface, `OP_ABI_VERSION` of the header the library
/// was built with. A host compares it with the header it compiled against.
@c(op_abi_version)
public func op_abi_version() -> Int32 { 4 }

/// `op_engine *op_engine_create(const char *rules, size_t length, op_result **error)`: an engine for a built-in
/// rule-set id (`"zhengzhou-2022"`) or for rule-file or timeline JSON. On failure returns NULL
/// and, when `error` is not NULL, stores there a result carrying the `invalidRules` error (free it).
@c(op_engine_create)
public func op_engine_create(
  _ rules: UnsafePointer<CChar>?, _ length: Int,
  _ errorOut: UnsafeMutablePointer<OpaquePointer?>?
) -> OpaquePointer? {
  errorOut?.pointee = nil
  guard length >= 0, let text = bytes(rules, length) else {
    errorOut?.pointee = CallResult(rejected: InputError(.invalidRules, path: "", "no rules given"), id: nil).retained()
    return nil
  }
  if let builtIn = RuleSet.builtIn(id: String(decoding: text, as: UTF8.self)) {
    return OpaquePointer(Unmanaged.passRetained(EngineBox(PoolingCore.Engine(unchecked: .single(builtIn)))).toOpaque())
  }
  // Text that does not begin like JSON is a built-in id, mistyped: say so rather than "not JSON".
  if let first = text.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }), first != UInt8(ascii: "{") {
    let known = RuleSet.builtIn.map(\.id).joined(separator: ", ")
    let error = InputError(
      .invalidRules, path: "",
      "unknown built-in rule set \"\(String(decoding: text, as: UTF8.self))\" (built in: \(known)); or give rule-file JSON")
    errorOut?.pointee = CallResult(rejected: error, id: nil).retained()
    return nil
  }
  do {
    let book = try RuleSetCoding.decodeBook(text)
    return OpaquePointer(Unmanaged.passRetained(EngineBox(PoolingCore.Engine(unchecked: book))).toOpaque())
  } catch {
    errorOut?.pointee = CallResult(rejected: error, id: nil).retained()
    return nil
  }
}

/// `void op_engine_free(op_engine *engine)`: releases an engine; NULL is ignored. Results stay valid.
@c(op_engine_free)
public func op_engine_free(_ handle: OpaquePointer?) {
  guard let handle else { return }
  Unmanaged<EngineBox>.fromOpaque(UnsafeRawPointer(handle)).release()
}

/// `op_result *op_settle_case(const op_engine *, const char *json, size_t length, unsigned options)`: settles
/// one case to its case output, or to an error. NULL only when `engine` is
/// NULL or `json` is NULL with a non-zero length.
@c(op_settle_case)
public func op_settle_case(
  _ handle: OpaquePointer?, _ json: UnsafePointer<CChar>?, _ length: Int,
  _ options: UInt32
) -> OpaquePointer? {
  guard let engine = engine(handle), json != nil || length == 0 else { return nil }
  if let refusal = refuse(length: length, options: options, allowed: 7) { return refusal }
  guard let input = bytes(json, length) else { return nil }
  let o = Options(options)
  var processor = CaseProcessor(rules: engine.rules, explain: o.explain, language: o.language, format: o.format)
  let answer: CallResult = input.withUnsafeBufferPointer { buffer in
    switch processor.settle(buffer) {
    case .rejected(let rejection):
      return CallResult(rejected: rejection.error, id: rejection.id)
    case .settled(let c, let outcome):
      var w = JSONWriter()
      processor.write(c, outcome, to: &w)
      return CallResult(settled: w.bytes)
    }
  }
  return answer.retained()
}

/// `op_result *op_settle_visit(const op_engine *, member, member_length, ledger, ledger_length, visit,
/// visit_length, unsigned options)`: settles one visit for a member against a ledger and
/// answers `{ "settlement": {…}, "ledger": {…} }` — the ledger to store for the next visit. `ledger` may be
/// NULL (a fresh ledger); a non-NULL ledger of length 0 is an error (`malformedJSON`), not a fresh one. Error paths name `member…`, `ledger…` or `visit…`. NULL only when `engine`,
/// `member` or `visit` is NULL.
@c(op_settle_visit)
public func op_settle_visit(
  _ handle: OpaquePointer?,
  _ member: UnsafePointer<CChar>?, _ memberLength: Int,
  _ ledger: UnsafePointer<CChar>?, _ ledgerLength: Int,
  _ visit: UnsafePointer<CChar>?, _ visitLength: Int,
  _ options: UInt32
) -> OpaquePointer? {
  guard let engine = engine(handle), member != nil, visit != nil else { return nil }
  for n in [memberLength, visitLength, ledger == nil ? 0 : ledgerLength] {
    if let refusal = refuse(length: n, options: options, allowed: 7) { return refusal }
  }
  // A NULL ledger is a fresh one, whatever length comes with it.
  guard let memberBytes = bytes(member, memberLength), let visitBytes = bytes(visit, visitLength) else { return nil }
  let ledgerBytes = ledger == nil ? [] : bytes(ledger, ledgerLength) ?? []
  let o = Options(options)
  let answer: CallResult
  do throws(InputError) {
    // Each part is decoded on its own, with its own paths: `member…`, `ledger…`, `visit…`.
    let m = try PartDecoder.member(memberBytes)
    // Only NULL means a fresh ledger: an empty buffer is a stored ledger that went missing, and settling it as
    // fresh would pay a retried visit again.
    let l = ledger == nil ? Ledger() : try PartDecoder.ledger(ledgerBytes)
    let v = try PartDecoder.visit(visitBytes)
    let outcome = try engine.engine.settle(v, member: m, ledger: l)
    let wantsTrace = o.explain || o.format == .nhsa2207
    let trace =
      wantsTrace
      ? Trace.steps(
        for: outcome.settlement, visit: v, member: m, rules: engine.rules.rules(on: v.date),
        language: o.format == .nhsa2207 ? .zh : o.language) : nil
    var w = JSONWriter()
    w.beginObject()
    w.key("settlement")
    if o.format == .nhsa2207 {
      Nhsa2207Encoder.write(outcome.settlement, to: &w)
      w.key("setldetail")
      Nhsa2207Encoder.writeDetail(outcome.settlement, trace: trace ?? [], to: &w)
    } else {
      CaseOutputEncoder.write(outcome.settlement, to: &w, trace: o.explain ? trace : nil)
    }
    w.key("ledger")
    CaseOutputEncoder.write(outcome.ledger, to: &w, shape: engine.rules.ledgerShape)
    w.endObject()
    answer = CallResult(settled: w.bytes)
  } catch {
    answer = CallResult(rejected: error, id: nil)
  }
  return answer.retained()
}

/// `op_result *op_reverse(const op_engine *, const char *json, size_t length, unsigned options)`: a refund —
/// settlements to reverse against a ledger, optionally the kept items settled again — answered with the same
/// JSON as `outpatient-pooling reverse`. `OP_EXPLAIN` and `OP_LANG_ZH` apply to the visits settled again.
/// NULL only when `engine` is NULL, or `json` is NULL with a non-zero length.
@c(op_reverse)
public func op_reverse(
  _ handle: OpaquePointer?, _ json: UnsafePointer<CChar>?, _ length: Int,
  _ options: UInt32
) -> OpaquePointer? {
  guard let engine = engine(handle), json != nil || length == 0 else { return nil }
  if let refusal = refuse(length: length, options: options, allowed: 3) { return refusal }
  guard let input = bytes(json, length) else { return nil }
  let o = Options(options)
  let answer: CallResult = input.withUnsafeBufferPointer { buffer in
    var w: JSONWriter? = JSONWriter()
    do throws(InputError) {
      try RefundCoding.process(buffer, engine: engine.engine, explain: o.explain, language: o.language, to: &w)
      return CallResult(settled: w?.bytes ?? [])
    } catch {
      return CallResult(rejected: error, id: nil)
    }
  }
  return answer.retained()
}

/// The words for each reason and error code, in English and 中文, as C strings made once and never freed: an
/// immutable table, so a host's screen needs no table of its own.
private let labels: [String: Label] = {
  var table: [String: Label] = [:]
  for r in Reason.allCases { table["reason." + r.rawValue] = Label(en: cString(r.name(in: .en)), zh: cString(r.name(in: .zh))) }
  for c in InputError.Code.allCases {
    table["error." + c.rawValue] = Label(en: cString(c.summary(in: .en)), zh: cString(c.summary(in: .zh)))
  }
  return table
}()

/// A NUL-terminated copy of `text` that lives as long as the process.
private func cString(_ text: String) -> UnsafeMutablePointer<CChar> {
  let bytes = text.utf8CString
  let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
  bytes.withUnsafeBufferPointer { copy.initialize(from: $0.baseAddress!, count: bytes.count) }
  return copy
}

/// One code's words as C strings. Sendable because nothing ever writes to them after they are made.
private struct Label: @unchecked Sendable {
  let en: UnsafeMutablePointer<CChar>
  let zh: UnsafeMutablePointer<CChar>
}

/// The label of `code` in `kind` (`reason` or `error`), in the language `options` asks for (OP_LANG_ZH).
private func label(_ kind: String, _ code: UnsafePointer<CChar>?, _ options: UInt32) -> UnsafePointer<CChar>? {
  guard let code, options & ~2 == 0, let entry = labels[kind + "." + String(cString: code)] else { return nil }
  return UnsafePointer(options & 2 != 0 ? entry.zh : entry.en)
}

/// `const char *op_reason_label(const char *reason, unsigned options)`: a reason code of a settlement's `reasons`
/// (`"capReached"`) in words, English or 中文 with `OP_LANG_ZH` (`"达到年度最高支付限额"`); a static string, never
/// freed; NULL for an unknown code, NULL `reason`, or an option bit other than `OP_LANG_ZH`.
@c(op_reason_label)
public func op_reason_label(_ reason: UnsafePointer<CChar>?, _ options: UInt32) -> UnsafePointer<CChar>? {
  label("reason", reason, options)
}

/// `const char *op_error_label(const char *code, unsigned options)`: an error code (`"invalidAmount"`) in words,
/// English or 中文 with `OP_LANG_ZH`; a static string, never freed; NULL for an unknown code, NULL `code`, or an
/// option bit other than `OP_LANG_ZH`.
@c(op_error_label)
public func op_error_label(_ code: UnsafePointer<CChar>?, _ options: UInt32) -> UnsafePointer<CChar>? {
  label("error", code, options)
}

/// `int op_result_ok(const op_result *)`: 1 when settled, 0 when the input was rejected (or `result` is NULL).
@c(op_result_ok)
public func op_result_ok(_ handle: OpaquePointer?) -> Int32 {
  result(handle)?.settled == true ? 1 : 0
}

/// `const char *op_result_json(const op_result *, size_t *length)`: the output JSON, or the error object
/// `{"id"?, "error": {code, path?, message}}`; NUL-terminated, its byte length stored in `*length` when not NULL.
@c(op_result_json)
public func op_result_json(_ handle: OpaquePointer?, _ length: UnsafeMutablePointer<Int>?) -> UnsafePointer<CChar>? {
  guard let r = result(handle) else { length?.pointee = 0; return nil }
  length?.pointee = r.jsonLength
  return UnsafePointer(r.json)
}

/// `const char *op_result_error_code(const op_result *)`: the error code (`"invalidAmount"`), or NULL when settled.
@c(op_result_error_code)
public func op_result_error_code(_ handle: OpaquePointer?) -> UnsafePointer<CChar>? {
  result(handle)?.code.map { UnsafePointer($0) }
}

/// `const char *op_result_error_path(const op_result *)`: the JSON path (`"visits[0].inScope"`), or NULL when
/// settled or when the error has no path (`malformedJSON`).
@c(op_result_error_path)
public func op_result_error_path(_ handle: OpaquePointer?) -> UnsafePointer<CChar>? {
  result(handle)?.path.map { UnsafePointer($0) }
}

/// `const char *op_result_error_message(const op_result *)`: a message for people, or NULL when settled.
@c(op_result_error_message)
public func op_result_error_message(_ handle: OpaquePointer?) -> UnsafePointer<CChar>? {
  result(handle)?.message.map { UnsafePointer($0) }
}

/// `const char *op_result_part(const op_result *, const char *name, size_t *length)`: the JSON text of the
/// answer's top-level member `name` (`"ledger"`, `"settlement"`, `"settlements"`, `"reversals"`,
/// `"adjustment"`, `"setldetail"`, `"error"`, …), pointing into the answer: not NUL-terminated, its byte length
/// in `*length`. NULL (and `*length` 0) when the answer has no such member, or `result`, `name` or `length` is NULL.
@c(op_result_part)
public func op_result_part(
  _ handle: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ length: UnsafeMutablePointer<Int>?
) -> UnsafePointer<CChar>? {
  length?.pointee = 0
  guard let r = result(handle), let name, let length else { return nil }
  var count = 0
  while name[count] != 0 { count += 1 }
  let wanted = Array(UnsafeRawBufferPointer(start: name, count: count))
  guard let part = r.parts.first(where: { $0.name == wanted }) else { return nil }
  length.pointee = part.value.count
  return UnsafePointer(r.json + part.value.lowerBound)
}

/// `void op_result_free(op_result *)`: releases a result and every string it handed out; NULL is ignored.
@c(op_result_free)
public func op_result_free(_ handle: OpaquePointer?) {
  guard let handle else { return }
  Unmanaged<CallResult>.fromOpaque(UnsafeRawPointer(handle)).release()
}
