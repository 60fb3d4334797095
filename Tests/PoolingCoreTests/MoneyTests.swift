import PoolingCore
import Testing

@Suite struct MoneyTests {
  @Test(
    arguments: [
      (16_000, 5_500, 8_800),  // 160.00 × 0.55 = 88.00
      (3, 5_500, 2),  // 0.03 × 0.55 = 0.0165 → 0.02
      (1, 5_500, 1),  // 0.01 × 0.55 = 0.0055 → 0.01 (half-up)
      (1, 4_999, 0),  // 0.01 × 0.4999 = 0.004999 → 0.00
      (1, 5_000, 1),  // 0.01 × 0.50 = 0.005 → 0.01 (exactly half rounds up)
      (10_000_000_000, 10_000, 10_000_000_000),  // 100,000,000.00 × 1 = itself
      (600_000, 200, 12_000),  // 6,000.00 × 0.02 = 120.00 (第六条)
      (0, 7_500, 0),
    ] as [(Int64, Int32, Int64)])
  func applyingRatioRoundsHalfUp(fen: Int64, ratio: Int32, expected: Int64) {
    #expect(Money(fen: fen).applying(Ratio(tenThousandths: ratio)).fen == expected)
  }

  @Test(
    arguments: [
      (-5, 10, -1),  // −0.5 → −1: half away from zero
      (5, 10, 1),  // 0.5 → 1
      (-4, 10, 0),
      (14, 10, 1),
      (15, 10, 2),
    ] as [(Int64, Int64, Int64)])
  func divideHalfUpIsSymmetric(numerator: Int64, denominator: Int64, expected: Int64) {
    #expect(Money.divideHalfUp(numerator, by: denominator) == expected)
  }

  @Test(
    arguments: [
      (8_800, "88.00"), (0, "0.00"), (1, "0.01"), (10, "0.10"), (-3_600, "-36.00"),
      (10_000_000_000, "100000000.00"),
    ] as [(Int64, String)])
  func text(fen: Int64, expected: String) {
    #expect(Money(fen: fen).description == expected)
  }

  @Test(
    arguments: [
      (5_500, "0.55"), (5_525, "0.5525"), (10_000, "1.00"), (0, "0.00"), (5_550, "0.555"), (1, "0.0001"),
    ] as [(Int32, String)])
  func ratioText(tenThousandths: Int32, expected: String) {
    #expect(Ratio(tenThousandths: tenThousandths).description == expected)
  }

  @Test func overflowIsReported() {
    #expect(Money(fen: .max).adding(reportingOverflow: Money(fen: 1)) == nil)
    #expect(Money(fen: 1).adding(reportingOverflow: Money(fen: 2)) == Money(fen: 3))
  }
}

@Suite struct CivilDateTests {
  @Test(
    arguments: [
      (2024, 2, 29, true), (2023, 2, 29, false), (1900, 2, 29, false), (2000, 2, 29, true),
      (2024, 13, 1, false), (2024, 4, 31, false), (2024, 12, 31, true), (0, 1, 1, false), (2024, 1, 0, false),
    ] as [(Int, Int, Int, Bool)])
  func validity(year: Int, month: Int, day: Int, valid: Bool) {
    #expect((CivilDate(year: year, month: month, day: day) != nil) == valid)
  }

  @Test func firstOfNextMonthCrossesTheYear() {
    #expect(CivilDate(year: 2023, month: 12, day: 10)!.firstOfNextMonth == CivilDate(year: 2024, month: 1, day: 1)!)
    #expect(CivilDate(year: 2023, month: 6, day: 15)!.firstOfNextMonth == CivilDate(year: 2023, month: 7, day: 1)!)
  }

  @Test func orderAndText() {
    let a = CivilDate(year: 2023, month: 5, day: 12)!, b = CivilDate(year: 2023, month: 12, day: 1)!
    #expect(a < b)
    #expect(a.description == "2023-05-12")
    #expect(YearMonth(year: 2023, month: 5)!.description == "2023-05")
  }

  @Test func periodsAreInclusive() {
    let p = Period(from: CivilDate(year: 2023, month: 3, day: 1)!, to: CivilDate(year: 2023, month: 4, day: 30)!)
    #expect(p.contains(CivilDate(year: 2023, month: 3, day: 1)!))
    #expect(p.contains(CivilDate(year: 2023, month: 4, day: 30)!))
    #expect(!p.contains(CivilDate(year: 2023, month: 5, day: 1)!))
    #expect(Period(from: CivilDate(year: 2023, month: 3, day: 1)!).contains(CivilDate(year: 9999, month: 12, day: 31)!))
  }
}
