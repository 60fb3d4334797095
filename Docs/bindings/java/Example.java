// A Java program using outpatient-pooling.jar (build it with Docs/bindings/java/build-jar.sh):
//
//   Docs/bindings/java/build-jar.sh /tmp/outpatient-pooling.jar
//   javac -cp /tmp/outpatient-pooling.jar -d /tmp/example Docs/bindings/java/Example.java
//   java -cp /tmp/outpatient-pooling.jar:/usr/share/java/jna.jar:/tmp/example Example .build/release/libOutpatientPoolingC.so
//
// Visit by visit, as a billing system settles: store the answer's ledger, send it with the member's next visit;
// a retry is refused; a refund names the visit. Exits 0 only when its own checks pass.
import org.outpatientpooling.OutpatientPooling;
import org.outpatientpooling.OutpatientPooling.Answer;
import org.outpatientpooling.OutpatientPooling.Engine;

public final class Example {
  static int failures = 0;

  static void check(boolean ok, String what) {
    if (!ok) {
      failures++;
      System.out.println("FAILED: " + what);
    }
  }

  public static void main(String[] args) {
    OutpatientPooling.load(args[0]);
    System.out.println("outpatient-pooling " + OutpatientPooling.version());
    try (Engine engine = new Engine("zhengzhou-2022")) {
      String member = "{\"id\":\"M7\",\"employment\":\"employee\"}";
      String visit = "{\"id\":\"W1\",\"date\":\"2023-06-01\",\"institution\":{\"id\":\"H9\",\"location\":\"local\","
          + "\"tier\":\"secondary\"},\"total\":\"140.00\",\"inScope\":\"140.00\"}";

      // A fresh member (no stored ledger): (140.00 − 40.00) × 60% = 60.00 pooled, 80.00 in cash.
      Answer first = engine.settleVisit(member, null, visit, OutpatientPooling.LANG_ZH);
      check(first.ok(), "settled");
      String stored = first.ledger();  // what the host stores for the member, whole
      System.out.println("settlement: " + first.settlement());
      check(first.settlement().contains("\"pooling\":\"60.00\"") && first.settlement().contains("\"cash\":\"80.00\""),
          "60.00 pooled, 80.00 cash");
      check(stored.startsWith("{\"year\":2023") && stored.contains("\"visitId\":\"W1\""), "the ledger's journal holds W1");

      // The same visit again with the stored ledger (a retry after a timeout): refused, nothing paid twice.
      Answer retry = engine.settleVisit(member, stored, visit, 0);
      System.out.println("retry: " + retry.errorCode() + " at " + retry.errorPath() + " ("
          + OutpatientPooling.errorLabel(retry.errorCode(), true) + ")");
      check(!retry.ok() && "alreadySettled".equals(retry.errorCode()) && retry.ledger() == null, "retry refused");

      // A refund the next day names the visit; it gives back exactly what the journal holds.
      Answer refund = engine.reverse("{\"ledger\":" + stored + ",\"on\":\"2023-06-02\",\"reverse\":[\"W1\"]}", 0);
      System.out.println("refund: " + refund.part("adjustment"));
      check(refund.ok() && "{\"pooling\":\"-60.00\",\"account\":\"0.00\",\"cash\":\"-80.00\"}".equals(refund.part("adjustment")),
          "refund adjustment");
      check(refund.ledger().contains("\"settled\":[]"), "the journal is empty after the refund");

      System.out.println("label: " + OutpatientPooling.reasonLabel("accountInsufficient", true));
      check("个人账户余额不足".equals(OutpatientPooling.reasonLabel("accountInsufficient", true)), "中文 label");
    }
    try {
      new Engine("zhengzhou-2023");
      check(false, "a mistyped rule id is refused");
    } catch (OutpatientPooling.RejectedException e) {
      System.out.println("rules refused: " + e.answer().errorCode());
      check("invalidRules".equals(e.answer().errorCode()), "invalidRules");
    }
    System.out.println(failures == 0 ? "java jar example: ok" : "java jar example: " + failures + " checks failed");
    System.exit(failures == 0 ? 0 : 1);
  }
}
