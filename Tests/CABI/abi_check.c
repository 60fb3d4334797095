/*
 * Checks libOutpatientPoolingC.so through its header, the way a C billing system would call it.
 * Built and run by Tests/CABITests/CABITests.swift:
 *   cc -std=c11 -Wall -Werror -I Sources/OutpatientPoolingC/include Tests/CABI/abi_check.c \
 *      -L <lib dir> -lOutpatientPoolingC -lpthread -o abi_check && ./abi_check Fixtures
 * Prints what it checked; exits 0 only when every check held.
 */
#define _POSIX_C_SOURCE 200809L
#include "outpatient_pooling.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    if (!(cond)) {                                                         \
      failures++;                                                          \
      fprintf(stderr, "FAILED %s:%d: %s — ", __FILE__, __LINE__, #cond);  \
      fprintf(stderr, __VA_ARGS__);                                        \
      fprintf(stderr, "\n");                                               \
    }                                                                      \
  } while (0)

/* The basic example (Fixtures/golden/cases/basic-deductible-and-account.json): in-service member, provincial tertiary-A hospital, 250.00 total, 200.00 in scope.
 * (200.00 − 40.00) × 55% = 88.00 pooling; the account pays 250.00 − 88.00 = 162.00 of its 1200.00. */
static const char *case1 =
    "{\"id\":\"EX1\",\"member\":{\"id\":\"M1\",\"employment\":\"employee\"},"
    "\"ledger\":{\"year\":2023,\"poolingPaid\":\"350.00\",\"accountBalance\":\"1200.00\"},"
    "\"visits\":[{\"id\":\"V1\",\"date\":\"2023-03-10\","
    "\"institution\":{\"id\":\"H001\",\"location\":\"local\",\"tier\":\"provincialTertiaryA\"},"
    "\"total\":\"250.00\",\"inScope\":\"200.00\"}]}";

static const char *member = "{\"id\":\"M2\",\"employment\":\"employee\"}";
static const char *visitA =
    "{\"id\":\"A\",\"date\":\"2023-05-12\",\"institution\":{\"id\":\"H1\",\"location\":\"local\",\"tier\":\"secondary\"},"
    "\"total\":\"100.00\",\"inScope\":\"100.00\"}";
static const char *visitB =
    "{\"id\":\"B\",\"date\":\"2023-05-12\",\"institution\":{\"id\":\"H1\",\"location\":\"local\",\"tier\":\"secondary\"},"
    "\"total\":\"50.00\",\"inScope\":\"50.00\"}";

static char *read_file(const char *path, size_t *length) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buffer = malloc((size_t)n + 1);
  *length = fread(buffer, 1, (size_t)n, f);
  buffer[*length] = 0;
  fclose(f);
  return buffer;
}

struct worker { const op_engine *engine; int rounds; int mismatches; const char *expected; };

static void *settle_many(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i < w->rounds; i++) {
    op_result *r = op_settle_case(w->engine, case1, strlen(case1), 0);
    if (!r || !op_result_ok(r) || strcmp(op_result_json(r, NULL), w->expected) != 0) w->mismatches++;
    op_result_free(r);
  }
  return NULL;
}

int main(int argc, char **argv) {
  const char *fixtures = argc > 1 ? argv[1] : "Fixtures";
  printf("op_version: %s\n", op_version());
  CHECK(strlen(op_version()) > 0, "empty version");
  /* The words for codes, for a screen in any language. */
  printf("labels: %s / %s / %s\n", op_reason_label("capReached", 0), op_reason_label("capReached", OP_LANG_ZH),
         op_error_label("alreadySettled", OP_LANG_ZH));
  CHECK(strcmp(op_reason_label("capReached", OP_LANG_ZH), "达到年度最高支付限额") == 0, "reason label zh");
  CHECK(strcmp(op_reason_label("accountInsufficient", 0), "personal account short") == 0, "reason label en");
  CHECK(strcmp(op_error_label("invalidAmount", OP_LANG_ZH), "金额无效") == 0, "error label zh");
  CHECK(op_reason_label("nope", 0) == NULL && op_reason_label(NULL, 0) == NULL && op_reason_label("capReached", 4) == NULL,
        "unknown label");
  CHECK(op_reason_label("capReached", 0) == op_reason_label("capReached", 0), "a label is one static string");

  /* 1. A built-in engine settles the basic example. */
  op_result *error = NULL;
  op_engine *engine = op_engine_create("zhengzhou-2022", strlen("zhengzhou-2022"), &error);
  CHECK(engine != NULL && error == NULL, "built-in engine");
  op_result *r = op_settle_case(engine, case1, strlen(case1), 0);
  size_t length = 0;
  const char *json = op_result_json(r, &length);
  printf("settle_case: %s\n", json);
  CHECK(op_result_ok(r) == 1, "case 1 settles");
  CHECK(length == strlen(json), "length %zu", length);
  CHECK(strstr(json, "\"pooling\":\"88.00\"") != NULL, "pooling 88.00");
  CHECK(strstr(json, "\"account\":\"162.00\"") != NULL, "account 162.00");
  CHECK(strstr(json, "\"accountBalance\":\"1038.00\"") != NULL, "balance 1200.00 − 162.00");
  CHECK(op_result_error_code(r) == NULL, "no error code when settled");
  char *expected = strdup(json);
  op_result_free(r);

  /* 2. The 中文 trace, and the 2207 shape. */
  r = op_settle_case(engine, case1, strlen(case1), OP_EXPLAIN | OP_LANG_ZH);
  CHECK(strstr(op_result_json(r, NULL), "160.00 × 55% = 88.00") != NULL, "zh trace arithmetic");
  op_result_free(r);
  r = op_settle_case(engine, case1, strlen(case1), OP_FORMAT_NHSA2207);
  json = op_result_json(r, NULL);
  printf("nhsa2207 hifp_pay: %.20s\n", strstr(json, "\"hifp_pay\"") ? strstr(json, "\"hifp_pay\"") : "(missing)");
  CHECK(strstr(json, "\"hifp_pay\":88.00") != NULL, "hifp_pay 88.00");
  CHECK(strstr(json, "\"pool_prop_selfpay\":0.5500") != NULL, "ratio 0.5500");
  op_result_free(r);

  /* 3. A rejected case: code, path and message. */
  const char *bad = "{\"id\":\"X\",\"member\":{\"id\":\"M\",\"employment\":\"employee\"},\"visits\":[{\"id\":\"V\","
                    "\"date\":\"2023-01-05\",\"institution\":{\"id\":\"H\",\"location\":\"local\",\"tier\":\"primary\"},"
                    "\"total\":\"10.00\",\"inScope\":\"1.005\"}]}";
  r = op_settle_case(engine, bad, strlen(bad), 0);
  printf("rejected: %s %s — %s\n", op_result_error_code(r), op_result_error_path(r), op_result_error_message(r));
  CHECK(op_result_ok(r) == 0, "bad case rejected");
  CHECK(strcmp(op_result_error_code(r), "invalidAmount") == 0, "code");
  CHECK(strcmp(op_result_error_path(r), "visits[0].inScope") == 0, "path");
  CHECK(strstr(op_result_json(r, NULL), "\"id\":\"X\"") != NULL, "error object names the case");
  op_result_free(r);
  const char *garbage = "{\"id\":[[[\xff";
  r = op_settle_case(engine, garbage, strlen(garbage), 0);
  CHECK(strcmp(op_result_error_code(r), "malformedJSON") == 0 && op_result_error_path(r) == NULL, "malformed");
  op_result_free(r);

  /* 4. Visit by visit with the ledger kept by the host: two visits the same day at one hospital bear one
   * deductible. A: (100.00 − 40.00) × 60% = 36.00. B: deductible already borne, 50.00 × 60% = 30.00. */
  r = op_settle_visit(engine, member, strlen(member), NULL, 0, visitA, strlen(visitA), 0);
  CHECK(op_result_ok(r), "visit A: %s", op_result_json(r, NULL));
  json = op_result_json(r, NULL);
  printf("settle_visit A: %s\n", json);
  CHECK(strstr(json, "\"pooling\":\"36.00\"") != NULL, "A pooling 36.00");
  /* The parts a host stores, without cutting JSON: the ledger (an object) and the settlement. */
  size_t ledger_length = 0, settlement_length = 0, none_length = 99;
  const char *ledger_part = op_result_part(r, "ledger", &ledger_length);
  const char *settlement_part = op_result_part(r, "settlement", &settlement_length);
  CHECK(ledger_part != NULL && ledger_length > 2 && ledger_part[0] == '{' && ledger_part[ledger_length - 1] == '}',
        "ledger part");
  CHECK(ledger_part + ledger_length == json + strlen(json) - 1, "the ledger part ends before the answer's brace");
  CHECK(settlement_part != NULL && strncmp(settlement_part, "{\"visitId\":\"A\"", 14) == 0 &&
            settlement_part[settlement_length - 1] == '}' && settlement_part[settlement_length] == ',',
        "settlement part: %.*s", (int)settlement_length, settlement_part);
  CHECK(op_result_part(r, "ledgers", &none_length) == NULL && none_length == 0, "no such part");
  CHECK(op_result_part(r, "ledger", NULL) == NULL && op_result_part(NULL, "ledger", &none_length) == NULL &&
            op_result_part(r, NULL, &none_length) == NULL, "NULL arguments");
  char *ledger = strndup(ledger_part, ledger_length);
  op_result_free(r);
  r = op_settle_visit(engine, member, strlen(member), ledger, strlen(ledger), visitB, strlen(visitB), 0);
  json = op_result_json(r, NULL);
  printf("settle_visit B: %s\n", json);
  CHECK(strstr(json, "\"deductible\":\"0.00\"") != NULL, "B bears no second deductible");
  CHECK(strstr(json, "\"pooling\":\"30.00\"") != NULL, "B pooling 30.00");
  CHECK(strstr(json, "\"poolingPaid\":\"66.00\"") != NULL, "ledger 36.00 + 30.00");
  op_result_free(r);
  /* A retry: visit A again with the ledger that booked it is refused, and nothing is paid twice. */
  r = op_settle_visit(engine, member, strlen(member), ledger, strlen(ledger), visitA, strlen(visitA), 0);
  printf("retry: %s %s\n", op_result_error_code(r), op_result_error_path(r));
  CHECK(op_result_ok(r) == 0 && strcmp(op_result_error_code(r), "alreadySettled") == 0 &&
            strcmp(op_result_error_path(r), "visit.id") == 0, "retry refused");
  size_t error_length = 0;
  const char *error_part = op_result_part(r, "error", &error_length);
  CHECK(error_part != NULL && strncmp(error_part, "{\"code\":\"alreadySettled\"", 24) == 0 &&
            error_part[error_length - 1] == '}' && op_result_part(r, "ledger", &none_length) == NULL,
        "error part: %.*s", (int)error_length, error_part);
  op_result_free(r);
  /* A stored ledger that went missing (a non-NULL buffer of length 0) is not a fresh ledger. */
  r = op_settle_visit(engine, member, strlen(member), ledger, 0, visitA, strlen(visitA), 0);
  CHECK(op_result_ok(r) == 0 && strcmp(op_result_error_code(r), "malformedJSON") == 0, "empty ledger buffer");
  op_result_free(r);
  free(ledger);
  r = op_settle_visit(engine, member, strlen(member), "{\"year\":", 8, visitB, strlen(visitB), 0);
  CHECK(op_result_ok(r) == 0 && strcmp(op_result_error_code(r), "malformedJSON") == 0, "truncated ledger");
  op_result_free(r);
  const char *badVisit = "{\"id\":\"C\",\"date\":\"2023-02-30\",\"institution\":{\"id\":\"H1\",\"location\":\"local\","
                         "\"tier\":\"secondary\"},\"total\":\"1.00\",\"inScope\":\"1.00\"}";
  r = op_settle_visit(engine, member, strlen(member), NULL, 0, badVisit, strlen(badVisit), 0);
  printf("rejected visit: %s %s\n", op_result_error_code(r), op_result_error_path(r));
  CHECK(strcmp(op_result_error_code(r), "invalidDate") == 0 && strcmp(op_result_error_path(r), "visit.date") == 0,
        "visit error path");
  op_result_free(r);

  /* 4b. A partial refund (退费): the fixture of Fixtures/reverse/partial-refund.json. V3 (pooling 66.00,
   * account 84.00) is reversed; the kept 90.00 is settled again: deductible 40.00, (90.00 − 40.00) × 60% = 30.00,
   * account 60.00. Adjustment: pooling 30 − 66 = −36.00, account 60 − 84 = −24.00, cash 0.00. */
  char refund_path[4096];
  snprintf(refund_path, sizeof refund_path, "%s/reverse/partial-refund.json", fixtures);
  size_t refund_length = 0;
  char *refund = read_file(refund_path, &refund_length);
  CHECK(refund != NULL, "read %s", refund_path);
  if (refund) {
    r = op_reverse(engine, refund, refund_length, OP_EXPLAIN | OP_LANG_ZH);
    CHECK(op_result_ok(r), "refund: %s", op_result_json(r, NULL));
    json = op_result_json(r, NULL);
    printf("reverse: %.160s…\n", json);
    CHECK(strstr(json, "\"adjustment\":{\"pooling\":\"-36.00\",\"account\":\"-24.00\",\"cash\":\"0.00\"}") != NULL,
          "adjustment");
    CHECK(strstr(json, "\"pooling\":\"-66.00\"") != NULL && strstr(json, "\"pooling\":\"30.00\"") != NULL, "rows");
    CHECK(strstr(json, "起付标准") != NULL, "中文 trace of the visit settled again");
    op_result_free(r);
    /* The same refund on 03-04, before the visit it reverses: rejected, nothing reversed. */
    char *early = strstr(refund, "2024-03-06");
    if (early) memcpy(early, "2024-03-04", 10);
    r = op_reverse(engine, refund, refund_length, 0);
    printf("rejected refund: %s %s\n", op_result_error_code(r), op_result_error_path(r));
    CHECK(op_result_ok(r) == 0 && strcmp(op_result_error_code(r), "invalidDate") == 0 &&
              strcmp(op_result_error_path(r), "on") == 0, "refund error");
    op_result_free(r);
    free(refund);
  }
  CHECK(op_reverse(NULL, "{}", 2, 0) == NULL, "NULL engine");

  /* 4c. What the header promises at the edges: an ABI version; unknown option bits, a length of 2^63 or
   * more and a mistyped built-in id answer error results (not NULL, not silence); a NULL ledger is a fresh
   * one whatever its length; a top-level error has the path "" as in its JSON. */
  CHECK(op_abi_version() == OP_ABI_VERSION, "abi version %d", op_abi_version());
  r = op_settle_case(engine, case1, strlen(case1), 0x80u);
  CHECK(r != NULL && op_result_ok(r) == 0 && strcmp(op_result_error_code(r), "invalidType") == 0, "unknown option bits");
  op_result_free(r);
  r = op_settle_case(engine, case1, (size_t)1 << 63, 0);
  CHECK(r != NULL && op_result_ok(r) == 0 && strcmp(op_result_error_code(r), "malformedJSON") == 0, "length 2^63");
  op_result_free(r);
  r = op_settle_visit(engine, member, strlen(member), NULL, 12, visitA, strlen(visitA), 0);
  CHECK(r != NULL && op_result_ok(r), "NULL ledger with a length: %s", r ? op_result_json(r, NULL) : "NULL");
  op_result_free(r);
  r = op_settle_case(engine, "[1]", 3, 0);
  CHECK(r != NULL && op_result_error_path(r) != NULL && strcmp(op_result_error_path(r), "") == 0, "top-level path \"\"");
  op_result_free(r);
  op_result *typo = NULL;
  CHECK(op_engine_create("zhengzhou-2023", 14, &typo) == NULL && typo != NULL, "typo refused");
  if (typo) {
    printf("typo: %s\n", op_result_error_message(typo));
    CHECK(strstr(op_result_error_message(typo), "unknown built-in rule set") != NULL, "typo message");
    op_result_free(typo);
  }

  /* 5. NULL arguments are refused without a crash. */
  CHECK(op_settle_case(NULL, case1, strlen(case1), 0) == NULL, "NULL engine");
  CHECK(op_settle_case(engine, NULL, 5, 0) == NULL, "NULL json");
  op_result_free(NULL);
  op_engine_free(NULL);

  /* 6. One engine shared by four threads: every answer equals the single-threaded one. */
  struct worker workers[4];
  pthread_t threads[4];
  for (int i = 0; i < 4; i++) {
    workers[i] = (struct worker){engine, 2000, 0, expected};
    pthread_create(&threads[i], NULL, settle_many, &workers[i]);
  }
  int mismatches = 0;
  for (int i = 0; i < 4; i++) {
    pthread_join(threads[i], NULL);
    mismatches += workers[i].mismatches;
  }
  printf("threads: 4 × 2000 settlements on one engine, %d mismatches\n", mismatches);
  CHECK(mismatches == 0, "threads");
  op_engine_free(engine);
  free(expected);

  /* 7. Engines from rule-file JSON: a valid file, then an invalid one with its error. */
  char path[4096];
  snprintf(path, sizeof path, "%s/rules/caps-raised.json", fixtures);
  size_t rules_length = 0;
  char *rules = read_file(path, &rules_length);
  CHECK(rules != NULL, "read %s", path);
  if (rules) {
    engine = op_engine_create(rules, rules_length, &error);
    CHECK(engine != NULL, "caps-raised engine");
    r = op_settle_case(engine, case1, strlen(case1), 0);
    CHECK(strstr(op_result_json(r, NULL), "\"rules\":\"zhengzhou-caps-raised\"") != NULL, "named by its rule file: %s",
          op_result_json(r, NULL));
    op_result_free(r);
    op_engine_free(engine);
    free(rules);
  }
  /* 7b. Another city's rule file (rules@2): Wuhan's published example, a retiree's 354.00 at a level-2
   * hospital at 75%: 265.50 pooled, 88.50 paid by the member. */
  snprintf(path, sizeof path, "%s/rules/wuhan.json", fixtures);
  rules = read_file(path, &rules_length);
  CHECK(rules != NULL, "read %s", path);
  if (rules) {
    engine = op_engine_create(rules, rules_length, &error);
    CHECK(engine != NULL, "wuhan engine");
    snprintf(path, sizeof path, "%s/cities/wuhan-published-retiree.json", fixtures);
    size_t case_length = 0;
    char *wuhan = read_file(path, &case_length);
    if (engine && wuhan) {
      r = op_settle_case(engine, wuhan, case_length, 0);
      json = op_result_json(r, NULL);
      printf("wuhan: %.120s…\n", json);
      CHECK(strstr(json, "\"pooling\":\"265.50\"") != NULL && strstr(json, "\"cash\":\"88.50\"") != NULL, "wuhan 88.50");
      op_result_free(r);
    }
    free(wuhan);
    op_engine_free(engine);
    free(rules);
  }
  engine = op_engine_create("{\"id\":\"x\"}", 10, &error);
  CHECK(engine == NULL && error != NULL, "invalid rules refused");
  if (error) {
    printf("invalid rules: %s %s\n", op_result_error_code(error), op_result_error_path(error));
    CHECK(strcmp(op_result_error_code(error), "invalidRules") == 0, "invalidRules");
    op_result_free(error);
  }

  printf(failures == 0 ? "abi_check: all checks passed\n" : "abi_check: %d checks failed\n", failures);
  return failures == 0 ? 0 : 1;
}
