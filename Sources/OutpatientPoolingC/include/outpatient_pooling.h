/*
 * outpatient_pooling.h — the C interface of libOutpatientPoolingC.so: Zhengzhou employee general-outpatient
 * pooling (普通门诊统筹, 郑政办〔2022〕47号) and other cities' rule files, computed from case JSON to settlement
 * JSON. The formats are described in the project's Docs/: format.md (every field of a case, its output, the
 * ledger and the error object), ledger-and-refunds.md (the stored ledger and its journal, late claims, retries,
 * refunds), errors.md (every error code and path), rule-files.md and nhsa2207.md.
 *
 * Build (one self-contained .so to ship; it needs no Swift runtime beside it):
 *         swift build -c release --product OutpatientPoolingC -Xswiftc -static-stdlib \
 *           -Xlinker --version-script=Sources/OutpatientPoolingC/exports.map
 *         → .build/release/libOutpatientPoolingC.so (ship it with this header)
 * Link:   cc app.c -I Sources/OutpatientPoolingC/include -L .build/release -lOutpatientPoolingC
 *
 * Ownership
 *   - op_engine_create returns an engine you release with op_engine_free.
 *   - Every op_settle_* call (and a failed op_engine_create, through its `error` argument) returns an
 *     op_result you release with op_result_free. Strings a result hands out (op_result_json,
 *     op_result_part, op_result_error_*) belong to the result and stay valid until op_result_free; copy them to keep them.
 *   - Input buffers are only read during the call; the library keeps no pointer to them.
 *   - op_version returns a static string; never free it.
 *
 * Threads
 *   An engine is immutable: any number of threads may call op_settle_* on one engine at the same time.
 *   Results are independent of each other. The library has no global mutable state and no "last error"
 *   slot: each result carries its own error. Free an engine only after every call using it has returned.
 *
 * Inputs are UTF-8 JSON given as (pointer, length) — no NUL terminator is needed. Malformed input of any
 * kind gives an error result (code, JSON path, message), never a crash. A function returns NULL only for
 * a NULL engine or a NULL input pointer, as documented below.
 *
 * What a host stores, and how it retries and refunds
 *   - After every answer that settled, store the answer's "ledger" whole, in place of the one you sent: it is
 *     the member's running state, and its journal ("settled", one entry per settlement in each year) is what
 *     makes refunds and retries safe. Keep it as JSON text; you never need to look inside it:
 *     op_result_part(result, "ledger", &length) hands it to you whole.
 *   - Retry: if a call timed out and you do not know whether its ledger was stored, send the same visit with
 *     the ledger you have. If that ledger already booked the visit, the answer is the error "alreadySettled"
 *     (path "visit.id" or "visits[i].id") and nothing is paid twice: the stored journal entry (the ledger's
 *     "settled" entry with that "visitId") is the settlement. Otherwise it settles as usual.
 *   - Refund: op_reverse names settlements by visit id ("reverse": ["V1"]); it takes back exactly what the
 *     journal holds for them, never an amount you send.
 */
#ifndef OUTPATIENT_POOLING_H
#define OUTPATIENT_POOLING_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct op_engine op_engine;   /* opaque: the rules to settle under */
typedef struct op_result op_result;   /* opaque: the answer to one call */

/* The version of this interface. A library built from this header answers it from op_abi_version(); a
 * host built against an older header can compare. Version 2 added op_reverse and op_abi_version. Version 3
 * added the ledger's journal ("settled"): op_reverse names settlements by visit id, a retried settlement is
 * refused ("alreadySettled"), OP_FORMAT_NHSA2207 answers carry the ledger, and op_reason_label and
 * op_error_label give the words for codes. Version 4 added op_result_part: the answer's ledger (or any other
 * top-level part) without cutting JSON by hand. */
#define OP_ABI_VERSION 4

/* Option bits for op_settle_case, op_settle_visit and op_reverse (op_reverse takes OP_EXPLAIN and
 * OP_LANG_ZH). Bits a call does not define give an error result (code "invalidType"), not silence. */
#define OP_EXPLAIN         1u  /* add a "trace" to each settlement: article and arithmetic per step */
#define OP_LANG_ZH         2u  /* write trace details in 中文 (default English) */
#define OP_FORMAT_NHSA2207 4u  /* answer in the national platform's 2207 setlinfo shape (Docs/nhsa2207.md) */

/* The library version, e.g. "0.4.0". Static; do not free. */
const char *op_version(void);

/* OP_ABI_VERSION of the header the library was built with. */
int op_abi_version(void);

/* An engine for a built-in rule-set id ("zhengzhou-2022") or for rule-file or timeline JSON (either shape
 * of rule file, or a timeline of them; Docs/rule-files.md). On failure returns NULL and, when `error` is not
 * NULL, stores in *error a result carrying the error (release it with op_result_free): "invalidRules" with
 * the path of the first problem, including an unknown built-in id; "tooManyVersions" for a timeline of
 * more than 1,000 versions. */
op_engine *op_engine_create(const char *rules, size_t length, op_result **error);

/* Releases an engine. NULL is ignored. Results already returned stay valid. */
void op_engine_free(op_engine *engine);

/* Settles one case ({"id","member","ledger","visits"}) to its case output ({"id","rules","settlements",
 * "ledger"}) — or, with OP_FORMAT_NHSA2207, to {"id","rules","visits":[{"visitId","output":{"setlinfo":
 * {...},"setldetail":[...]}}],"ledger":{...}} — or to an error result. Store the answer's ledger. A visit
 * the ledger's journal already holds is refused with "alreadySettled" at "visits[i].id" (the whole case is
 * rejected). A length of 2^63 or more gives an error result (malformedJSON).
 * Returns NULL only when engine is NULL, or json is NULL and length is not 0. */
op_result *op_settle_case(const op_engine *engine, const char *json, size_t length, unsigned options);

/* Settles one visit for a member against the member's stored ledger (ledger may be NULL for a fresh one;
 * its length is then ignored; a non-NULL ledger of length 0 is rejected with "malformedJSON", never taken
 * for a fresh one, so a stored ledger that went missing cannot make a retry pay again). Each part is one JSON object, as in a case (Docs/format.md). Answers
 * {"settlement":{...},"ledger":{...}} — with OP_FORMAT_NHSA2207 {"settlement":{setlinfo},"setldetail":[...],
 * "ledger":{...}} — : store that ledger and pass it with the member's next visit. A visit the ledger's
 * journal already holds is refused with "alreadySettled" at "visit.id" (a retry: read the stored entry).
 * Error paths begin with "member", "ledger" or "visit".
 * Returns NULL only when engine, member or visit is NULL. */
op_result *op_settle_visit(const op_engine *engine,
                           const char *member, size_t member_length,
                           const char *ledger, size_t ledger_length,
                           const char *visit, size_t visit_length,
                           unsigned options);

/* A refund (退费): reverses settlements the member's stored ledger holds in its journal and, optionally,
 * settles the kept items again (a partial refund). The input is one JSON object:
 *   {"ledger":{...}, "on":"2024-03-06", "reverse":["V1", ...], "member":{...}, "settle":[{...visit...}]}
 * ledger is optional; on (the day of the refund) and a non-empty reverse are required; member is required
 * when settle lists visits. Each element of reverse is a visit id, or a settlement object with its
 * "visitId" (as this library wrote it): any figure it carries must equal the journal's ("reversalMismatch"
 * at reverse[i].<field> otherwise). Each reversal takes the journal entry out and gives back exactly its
 * figures: its pooling to the year of its visit, its deductible to the day and institution that bore it,
 * its account payment to the balance. The visits settled again may reuse a reversed id. Nothing is reversed
 * when any part is invalid. The answer is
 *   {"reversals":[...amounts negated...], "settlements":[...] (when settle was given),
 *    "adjustment":{"pooling","account","cash"}, "ledger":{...}}
 * where adjustment = new settlements - reversed: cash > 0 is what the patient pays more (补交), cash < 0
 * what is returned to the patient (退还). Store the ledger. OP_EXPLAIN and OP_LANG_ZH apply to the
 * visits settled again. Errors: as for op_settle_case; for a reversal "reversalNotInLedger" at "reverse[i]"
 * (or "reverse[i].visitId"): the journal holds no such settlement (never settled, already reversed);
 * "duplicateVisitId" (named twice); "invalidDate" at "on" (the visit is later than on); "invalidLedger" at
 * "ledger.accountBalance" (the refund would lift the balance past 100000000.00).
 * Returns NULL only when engine is NULL, or json is NULL and length is not 0. */
op_result *op_reverse(const op_engine *engine, const char *json, size_t length, unsigned options);

/* A reason code of a settlement's "reasons" ("capReached") in words for a screen or a receipt: English, or
 * 中文 with OP_LANG_ZH ("达到年度最高支付限额"). A static string; do not free. NULL for an unknown code, a NULL
 * argument, or an option bit other than OP_LANG_ZH. */
const char *op_reason_label(const char *reason, unsigned options);

/* An error code ("invalidAmount") in words, English or 中文 with OP_LANG_ZH ("金额无效"), as op_reason_label. */
const char *op_error_label(const char *code, unsigned options);

/* 1 when the call settled, 0 when the input was rejected (or result is NULL). */
int op_result_ok(const op_result *result);

/* The answer's JSON, NUL-terminated; its byte length is stored in *length when length is not NULL.
 * For a rejected input it is the error object {"id"?, "error": {"code", "path"?, "message"}}. */
const char *op_result_json(const op_result *result, size_t *length);

/* The stable error code ("invalidAmount", "invalidRules", ...; Docs/errors.md lists them), or NULL when
 * settled. */
const char *op_result_error_code(const op_result *result);

/* The JSON path of the error ("visits[0].inScope"; "" for the top level), or NULL when settled or when the
 * error has no path (malformedJSON, lineTooLong): the same as the "path" of the error JSON. */
const char *op_result_error_path(const op_result *result);

/* A message for people, or NULL when settled. */
const char *op_result_error_message(const op_result *result);

/* One top-level part of the answer's JSON, by name: "ledger" (the part to store), "settlement" and
 * "setldetail" (op_settle_visit), "settlements" (op_settle_case, op_reverse), "reversals" and "adjustment"
 * (op_reverse), "error" (a rejected input), ... The text is the part's JSON value exactly as it stands in
 * op_result_json (an object or an array). It points into the answer and is NOT NUL-terminated: its byte
 * length is stored in *length (required). Valid until op_result_free; copy it to keep it. Returns NULL, with
 * *length 0, when the answer has no such part, or when result, name or length is NULL. */
const char *op_result_part(const op_result *result, const char *name, size_t *length);

/* Releases a result and every string it handed out. NULL is ignored. */
void op_result_free(op_result *result);

#ifdef __cplusplus
}
#endif

#endif /* OUTPATIENT_POOLING_H */
