import PoolingCore

/// A case settled visit by visit in each of the engine's two forms: the public values (ids as strings) and the
/// case's interned form (ids numbered in the case), its ledger read back.
package struct BothForms {
  /// Each visit's record through the public values.
  package var strings: [SettledAmounts] = []
  /// Each visit's record through the interned form.
  package var interned: [SettledAmounts] = []
  /// The ledger after the last visit, through the public values.
  package var stringLedger: Ledger
  /// The ledger after the last visit, through the interned form, read back.
  package var internedLedger: Ledger

  /// Settles `c` (validated by the caller) with `tariff` in both forms.
  package init(_ c: Case, tariff: Tariff) {
    stringLedger = c.ledger
    for visit in c.visits { strings.append(tariff.settleUnchecked(visit, member: c.member, ledger: &stringLedger)) }
    var i = InternedCase(c)
    for visit in i.visits { interned.append(tariff.settleUnchecked(visit, member: i.member, ledger: &i.ledger)) }
    internedLedger = i.ledger.ledger(i.ids)
  }

  /// Whether the two forms agree on every record and on the ledger.
  package var agree: Bool { strings == interned && stringLedger == internedLedger }
}
