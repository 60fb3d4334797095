// A small Java wrapper over libOutpatientPoolingC.so (JNA): engines, answers and labels as Java objects, every
// native result freed before a call returns. Built into outpatient-pooling.jar by build-jar.sh beside it.
package org.outpatientpooling;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/** Employee general-outpatient pooling (普通门诊统筹) settlement through the C library. */
public final class OutpatientPooling {
  private OutpatientPooling() {}

  /** Add a "trace" to each settlement: the article and the arithmetic of each step. */
  public static final int EXPLAIN = 1;
  /** Write trace details in 中文 (default English); also the language of {@link #reasonLabel}. */
  public static final int LANG_ZH = 2;
  /** Answer in the national platform's 2207 setlinfo shape. */
  public static final int FORMAT_NHSA2207 = 4;
  /** The C interface version this wrapper was written for. */
  public static final int ABI_VERSION = 4;

  /** The signatures of outpatient_pooling.h; size_t is passed as long (64-bit Linux and macOS). */
  interface Native_ extends Library {
    String op_version();
    int op_abi_version();
    Pointer op_engine_create(byte[] rules, long length, PointerByReference error);
    void op_engine_free(Pointer engine);
    Pointer op_settle_case(Pointer engine, byte[] json, long length, int options);
    Pointer op_settle_visit(
        Pointer engine, byte[] member, long memberLength, byte[] ledger, long ledgerLength, byte[] visit,
        long visitLength, int options);
    Pointer op_reverse(Pointer engine, byte[] json, long length, int options);
    Pointer op_reason_label(byte[] reason, int options);
    Pointer op_error_label(byte[] code, int options);
    int op_result_ok(Pointer result);
    Pointer op_result_json(Pointer result, LongByReference length);
    Pointer op_result_part(Pointer result, byte[] name, LongByReference length);
    Pointer op_result_error_code(Pointer result);
    Pointer op_result_error_path(Pointer result);
    Pointer op_result_error_message(Pointer result);
    void op_result_free(Pointer result);
  }

  private static volatile Native_ lib;

  /**
   * Loads the library from a path (or, given a bare name such as "OutpatientPoolingC", from JNA's search path:
   * -Djna.library.path or LD_LIBRARY_PATH). Call once before anything else; a second call is ignored.
   */
  public static synchronized void load(String library) {
    if (lib != null) return;
    Native_ loaded = Native.load(library, Native_.class);
    if (loaded.op_abi_version() < ABI_VERSION) {
      throw new IllegalStateException(
          "the library at " + library + " implements C interface " + loaded.op_abi_version() + "; this wrapper needs "
              + ABI_VERSION + " or later");
    }
    lib = loaded;
  }

  static Native_ lib() {
    Native_ l = lib;
    if (l == null) throw new IllegalStateException("call OutpatientPooling.load(path) first");
    return l;
  }

  /** The library's version, e.g. "0.4.0". */
  public static String version() {
    return lib().op_version();
  }

  /** A reason code ("capReached") in words, English or 中文; null for an unknown code. */
  public static String reasonLabel(String reason, boolean zh) {
    return text(lib().op_reason_label(cString(reason), zh ? LANG_ZH : 0));
  }

  /** An error code ("invalidAmount") in words, English or 中文; null for an unknown code. */
  public static String errorLabel(String code, boolean zh) {
    return text(lib().op_error_label(cString(code), zh ? LANG_ZH : 0));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] cString(String s) {
    byte[] b = utf8(s);
    byte[] z = new byte[b.length + 1];
    System.arraycopy(b, 0, z, 0, b.length);
    return z;
  }

  static String text(Pointer p) {
    return p == null ? null : p.getString(0, StandardCharsets.UTF_8.name());
  }

  /** An engine: the rules to settle under. Immutable and thread-safe; close it when no call uses it any more. */
  public static final class Engine implements AutoCloseable {
    private Pointer handle;

    /**
     * Rules: a built-in id ("zhengzhou-2022") or the text of a rule file. Throws {@link RejectedException}
     * (code "invalidRules") when they are not valid.
     */
    public Engine(String rules) {
      byte[] r = utf8(rules);
      PointerByReference error = new PointerByReference();
      Pointer h = lib().op_engine_create(r, r.length, error);
      if (h == null) {
        Answer a = Answer.take(error.getValue());
        throw new RejectedException(a);
      }
      handle = h;
    }

    private Pointer handle() {
      Pointer h = handle;
      if (h == null) throw new IllegalStateException("engine closed");
      return h;
    }

    /** Settles one case (member, ledger, visits) to its case output. */
    public Answer settleCase(String caseJson, int options) {
      byte[] c = utf8(caseJson);
      return Answer.take(lib().op_settle_case(handle(), c, c.length, options));
    }

    /**
     * Settles one visit against the member's stored ledger (null for a member with none yet). Store the
     * answer's {@link Answer#ledger()} and pass it with the member's next visit.
     */
    public Answer settleVisit(String member, String ledger, String visit, int options) {
      byte[] m = utf8(member), v = utf8(visit), l = ledger == null ? null : utf8(ledger);
      return Answer.take(
          lib().op_settle_visit(handle(), m, m.length, l, l == null ? 0 : l.length, v, v.length, options));
    }

    /** A refund: {"ledger", "on", "reverse": [visit ids], "member"?, "settle"?}. */
    public Answer reverse(String refundJson, int options) {
      byte[] r = utf8(refundJson);
      return Answer.take(lib().op_reverse(handle(), r, r.length, options));
    }

    @Override
    public synchronized void close() {
      if (handle != null) lib().op_engine_free(handle);
      handle = null;
    }
  }

  /** The answer to one call, copied out of the library (whose result is freed at once). */
  public static final class Answer {
    private final boolean ok;
    private final String json;
    private final String errorCode, errorPath, errorMessage;
    private final java.util.Map<String, String> parts = new java.util.HashMap<>();

    private Answer(Pointer r) {
      Native_ l = lib();
      ok = l.op_result_ok(r) == 1;
      LongByReference length = new LongByReference();
      Pointer p = l.op_result_json(r, length);
      json = new String(p.getByteArray(0, (int) length.getValue()), StandardCharsets.UTF_8);
      errorCode = text(l.op_result_error_code(r));
      errorPath = text(l.op_result_error_path(r));
      errorMessage = text(l.op_result_error_message(r));
      for (String name :
          new String[] {"ledger", "settlement", "settlements", "setldetail", "reversals", "adjustment", "error"}) {
        Pointer part = l.op_result_part(r, cString(name), length);
        if (part != null) {
          parts.put(name, new String(part.getByteArray(0, (int) length.getValue()), StandardCharsets.UTF_8));
        }
      }
    }

    static Answer take(Pointer r) {
      if (r == null) throw new IllegalArgumentException("the library refused a NULL argument");
      try {
        return new Answer(r);
      } finally {
        lib().op_result_free(r);
      }
    }

    /** True when the call settled; false when the input was rejected (see errorCode, errorPath). */
    public boolean ok() { return ok; }
    /** The whole answer's JSON (or the error object). */
    public String json() { return json; }
    /** The stable error code ("alreadySettled"), or null when settled. */
    public String errorCode() { return errorCode; }
    /** The JSON path of the error ("visit.id"), or null. */
    public String errorPath() { return errorPath; }
    /** A message for people, or null when settled. */
    public String errorMessage() { return errorMessage; }
    /** The ledger to store (JSON text), or null when rejected. */
    public String ledger() { return parts.get("ledger"); }
    /** The visit's settlement (JSON text) of settleVisit, or null. */
    public String settlement() { return parts.get("settlement"); }
    /**
     * A top-level part of the answer by name ("settlements", "reversals", "adjustment", "setldetail",
     * "error", ...), as JSON text, or null.
     */
    public String part(String name) { return parts.get(name); }
  }

  /** An engine's rules were refused. */
  public static final class RejectedException extends RuntimeException {
    private final Answer answer;

    RejectedException(Answer answer) {
      super(answer.errorCode() + (answer.errorPath() == null ? "" : " at " + answer.errorPath()) + ": "
          + answer.errorMessage());
      this.answer = answer;
    }

    public Answer answer() { return answer; }
  }
}
