import PoolingCore
import PoolingTestSupport
import Testing

/// A year's day entries (four inline, the rest in a dictionary) against a plain dictionary as the model:
/// random bookings, settings and removals, at every size around the inline capacity.
@Suite struct DayEntriesTests {
  @Test func behavesLikeADictionary() {
    var rng = SplitMix64(seed: 2024)
    for round in 0..<400 {
      var book = YearBookkeeping()
      var model: [DayKey: Money] = [:]
      let institutions = (0..<(1 + round % 9)).map { "H\($0)" }
      for _ in 0..<Int.random(in: 1...40, using: &rng) {
        let key = DayKey(
          date: CivilDate(year: 2024, month: 1, day: 1 + Int.random(in: 0..<3, using: &rng))!,
          institution: institutions[Int.random(in: 0..<institutions.count, using: &rng)])
        let amount = Money(fen: Int64(Int.random(in: 0...4_000, using: &rng)))
        switch Int.random(in: 0..<4, using: &rng) {
        case 0, 1:
          book.addDeductible(amount, on: key.date, at: key.institution)
          if amount != .zero { model[key, default: .zero] += amount }
        case 2:
          book.setDeductible(amount, at: key)
          model[key] = amount == .zero ? nil : amount
        default:
          book.keepDeductibles { $0 != key }
          model[key] = nil
        }
        #expect(book.deductibles == model)
        #expect(book.deductibleCount == model.count)
        for (k, v) in model { #expect(book.borne(on: k.date, at: k.institution) == v) }
        #expect(book.sortedDeductibles.map(\.key) == model.keys.sorted())
      }
      // Equal to the same entries booked in another order, with the same hash.
      let rebuilt = YearBookkeeping(deductibles: model)
      var reversed = YearBookkeeping()
      for (k, v) in model.sorted(by: { $0.key < $1.key }).reversed() { reversed.addDeductible(v, on: k.date, at: k.institution) }
      #expect(book == rebuilt && book == reversed)
      #expect(book.hashValue == rebuilt.hashValue && book.hashValue == reversed.hashValue)
      if let (k, _) = model.first {
        var other = book
        other.addDeductible(Money(fen: 1), on: k.date, at: k.institution)
        #expect(other != book)
      }
    }
  }
}
