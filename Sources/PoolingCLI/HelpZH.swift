// Each verb's help in 中文 (`outpatient-pooling VERB --help --lang zh`, or `--lang zh` before the verb). The
// English help beside each verb is the reference; these say the same, in the words a 医保 office uses.

extension Tool {
  static let settleHelpZH = """
    用法：outpatient-pooling settle [--rules 规则] [--explain] [--lang en|zh] [--format json|table|nhsa2207|html]
                                    [文件]

    结算一个案例（{"id","member","ledger","visits"}：参保人、个人年度台账、就诊），读文件或标准输入，输出结算结果
    （{"id","rules","settlements","ledger"}）。各字段的含义见项目 Docs/ 下的 format.md、ledger-and-refunds.md、
    errors.md。
      --rules       内置规则编号（缺省 zhengzhou-2022）或规则文件
      --explain     在每笔结算后附计算过程：引用的条款和每一步的算式
      --lang        计算过程、表格和错误信息的语言：en（缺省，英文）或 zh（中文）
      --format      json（缺省）；table：结算单，每次就诊一行，附合计及年度限额已用、剩余；nhsa2207：每次就诊按
                    国家医保平台 2207 接口的 setlinfo 输出；html：可直接打印的结算单网页（加 --explain 时附计算过程）
    案例无效时输出错误对象（table、html 格式输出一句说明），退出码 3。

    """

  static let batchHelpZH = """
    用法：outpatient-pooling batch [--rules 规则] [--explain] [--lang en|zh] [--format json|nhsa2207|csv]
                                   [--threads N] [文件]

    逐行读取 JSON Lines 案例（文件或标准输入），按输入顺序边读边写，每个输入行输出一行 JSON：结算结果，或被拒
    行的 {"id"?, "line", "error"}（其余行照常结算）。按 \\n 分行，行尾的 \\r 忽略；空行和超过 1 MiB 的行被拒。
    --explain 附计算过程（--lang 选择英文或中文）；--format nhsa2207 按国家医保平台 2207 接口的 setlinfo
    输出每个案例的就诊（见 Docs/nhsa2207.md）；--format csv 输出一张表：表头一行，每次结算的就诊一行（行号、
    案例编号、参保人编号、就诊编号、就诊日期、机构编号、机构级别、就医地、人员类别、医疗费总额、政策范围内费用、
    起付标准、支付比例、统筹基金支付、个人账户支付、个人现金支付、年度剩余限额、原因），每个被拒的行一行（行号、
    案例编号，以及错误代码、错误位置、错误说明）；加 --lang zh 时表头为中文。
    --threads N 用 N 个线程结算（缺省为 CPU 核数；每核最多 4 个）；无论 N 为多少，输出都相同。输入一停顿，
    已读完的行就得到回答，因此程序可以写入一个案例、读到回答后再写下一个。收到 SIGTERM/SIGINT/SIGHUP 时，
    已读完的行全部输出后退出，退出码为 128 + 信号值。
    有任何一行被拒时退出码 3，否则 0。

    """

  static let creditHelpZH = """
    用法：outpatient-pooling credit [--rules 规则] [--format json|table] [--lang en|zh] [文件]

    读取 {"member": {…}, "months": [{"month": "2023-01", "base": "6000.00", "paid": true}, …]}，输出每月计入
    个人账户的金额（第六条、第十三条、第二十一条）及合计。
      --format      json（缺省）；table：每月一行的对齐表格，末行合计
      --lang        表格和错误信息的语言：en（缺省）或 zh（中文）
    输入无效时输出错误对象（table 格式输出一句说明），退出码 3。

    """

  static let institutionsHelpZH = """
    用法：outpatient-pooling institutions [--rules 规则] [--format json|table] [--lang en|zh] [文件]

    读取结算结果（batch 输出的 JSON Lines），输出与各本地定点医疗机构的按月结算（第二十六条）：每家机构每月的
    就诊人次、应付统筹基金、预留的质量保证金（逐行四舍五入）、实际拨付金额和应付个人账户金额，末行合计。
    错误行跳过；不是结算结果的行在标准错误上报告，退出码 3。
      --format      json（缺省）；table：每家机构每月一行的对齐表格，末行合计
      --lang        表格的语言：en（缺省）或 zh（中文）

    """

  static let monitorHelpZH = """
    用法：outpatient-pooling monitor --income X --expenditure Y [--rules 规则] [--format json|table]
                                     [--lang en|zh]

    判断门诊统筹基金一个年度的运行状态（第二十八条）：超支率 = (Y − X) / X，四舍五入到小数点后四位；Y ≤ X 为
    正常，超支率在 (0, 5%] 为预警，超过 5% 为风险处置。
    X（基金收入）和 Y（基金支出）以元为单位，最多两位小数；X 须大于 0。
      --format      json（缺省）；table：四项对齐输出
      --lang        表格和错误信息的语言：en（缺省）或 zh（中文）

    """

  static let reverseHelpZH = """
    用法：outpatient-pooling reverse [--rules 规则] [--explain] [--lang en|zh] [--format json|table] [文件]

    退费：按参保人个人年度台账中的结算记录冲销结算，可将保留的项目重新结算（部分退费）。从文件或标准输入读取
    一个 JSON 对象：
      { "ledger": {...}, "on": "2024-03-06", "reverse": ["V1", ...],
        "member": {...}, "settle": [ {...就诊...} ] }
    ledger      参保人保存的台账（可省略，省略时为新台账）
    on          退费日期；被冲销的就诊不得晚于此日
    reverse     要冲销的结算（至少一笔）：就诊编号，或原样的结算对象（其中的金额须与台账记录一致）。每笔按台账
                记录原额退回：统筹基金退回其年度，起付标准退回其承担的日期和机构，个人账户支付退回余额
    member      参保人（settle 列有就诊时必填）
    settle      保留的项目，冲销后按案例中的就诊重新结算

    输出 { "reversals": [...], "settlements": [...], "adjustment": { pooling, account, cash }, "ledger" }。
    冲销记录为原结算金额取负。adjustment = 重新结算 − 冲销：cash 大于 0 为参保人应补交，小于 0 为应退还。
      --rules       内置规则编号（缺省 zhengzhou-2022）或规则文件，用于重新结算的就诊
      --explain     在每笔重新结算后附计算过程
      --lang        计算过程、表格和错误信息的语言：en（缺省）或 zh（中文）
      --format      json（缺省）；table：冲销行、重新结算行以及与参保人的结清金额
    输入无效时输出错误对象（table 格式输出一句说明），退出码 3，不冲销任何结算。

    """

  static let rulesHelpZH = """
    用法：outpatient-pooling rules [show] [--rules 规则]
          outpatient-pooling rules validate 文件

    show      以规则文件格式输出规则（缺省为内置的 zhengzhou-2022；格式见 Docs/rule-files.md）
    validate  校验规则文件或时间线文件：有效时退出码 0，否则逐条列出问题及其 JSON 路径（每行一个 JSON 对象），
              退出码 3

    """

  static let checkHelpZH = """
    用法：outpatient-pooling check [--rules 规则] [--update] 目录

    结算目录（含子目录）下每个旁边有 NAME.expected.json 的 NAME.json，逐字段与预期结果比对（错误信息为自由文本，
    不比对）。每处不一致连同字段路径输出。--update 改为重写预期文件（用于有意的规则变更；请在版本控制中审阅
    差异）：先写入同目录的临时文件，再改名覆盖，保留原文件权限，中断的更新不会留下写了一半的文件。被强行终止的
    更新留下的临时文件（.NAME.outpatient-pooling-tmp-XXXXXX）由下一次更新删除并列出。
    符号链接和非普通文件（FIFO、设备）被拒并列出；超过 64 MiB 的文件被拒；无法读取的文件报告后继续。没有预期
    文件的案例列出、不比对；--update 为其记录预期文件（新的标准案例）并说明。最后一行统计各种结果。有不一致时
    退出码 1；否则有文件被拒、无法读取或无可比对内容时退出码 3；否则 0。

    """

  static let generateHelpZH = """
    用法：outpatient-pooling generate --cases N [--seed S] [--rules 规则] [--from 日期] [--to 日期]

    输出 N 个模拟案例（JSON Lines），结果确定：相同的 N、S（缺省 1）、规则和日期在任何平台上输出逐字节相同。
    覆盖各种限制条件、医疗机构级别、就医地、人员类别、同日多次就诊、跨年、补报结算以及接近年度限额的台账
    （构成见 Docs/rule-changes.md）。
      --from, --to  就诊日期的起止（YYYY-MM-DD）；缺省从规则生效之日到其后第二年年末，因此没有早于规则的就诊
                    （给出更早的 --from 可包含这类就诊）

    """

  static let diffHelpZH = """
    用法：outpatient-pooling diff [--base 规则] --candidate 规则 [--format json|table|csv|html]
                                  [--lang en|zh] [--summary-only] [--top N] [--losers N] [--tables 目录]
                                  [--attribution parameters|versions|none] [--threads N] [文件]
          outpatient-pooling diff merge [--format json|table|html] [--lang en|zh] [--tables 目录] 汇总文件...

    用两套规则（内置规则编号、规则文件或时间线文件；--base 缺省为内置的 zhengzhou-2022）结算每个案例
    （JSON Lines），每个结算结果不同的案例输出一行 JSON（人员类别、起付标准、支付比例、统筹基金支付、个人账户
    支付、个人现金支付、年度剩余限额、原因），最后一行为汇总：
      案例数，其中金额（统筹、个人账户或个人现金）有变化的，以及仅台账项目（年度剩余限额、原因）不同的；
      个人负担的增减：个人现金支付减少、增加或不变的案例数和金额，按变化 10.00 以下、10.00 至 100.00、
        100.00 以上分档，并按人员类别和机构级别分组；
      统筹基金、个人账户和个人现金支付（原规则、新规则、差额），合计及按机构级别、就医地、人员类别和月份；
      每个案例个人现金和统筹支付的变化：固定分档的直方图、由其估算的百分位数，以及变化最大的案例；
      归因：统筹支付的变化按两套规则不同的各项拆分（每项单独调整，即原规则只换上新规则的这一项；共同作用
        为其余部分，各项之和等于合计）。
    边读边算，内存不随案例数增长。两套规则编号相同时在标准错误上提示。有案例不同时退出码 1，否则 0（被拒的行
    不会使退出码为 3）。
      --format        json（缺省）：JSON Lines；table：汇总表格；html：一页自含的网页报告（个人负担减少和增加
                      的案例各用自己的比例作图，只画有变化案例的直方图，有变化案例中和全部案例中的百分位数，
                      以及个人负担增加的案例）；csv：逐次就诊的差异，一张长表，每个不同的项目一行（行号、
                      案例编号、参保人编号、就诊编号、就诊日期、机构级别、就医地、人员类别、项目、原规则、
                      新规则、差额）
      --lang          en（缺省）或 zh：表格、网页和 CSV 表头使用中文（机构级别、人员类别、规则项目的中文名称）；
                      表格和网页中的金额带千分位，JSON 和 CSV 中不带
      --summary-only  只输出汇总（用于分片，再用 diff merge 合并）；不能与 --format csv 同用（请用 --tables）
      --top N         保留变化最大的案例数（缺省 10，最多 1000）
      --losers N      列出个人负担增加最多的案例数，增加最多的在前（表格、网页和 --tables 缺省 10；JSON 汇总中
                      只在给出此选项时才有）
      --tables 目录   另将汇总的每张表分别写成目录中的一个 CSV 文件（目录不存在时创建）：rules、counts、totals、
                      winners-losers、by-tier、by-location、by-status、by-month、histogram、percentiles、
                      largest-cash-changes、largest-pooling-changes、losers、attribution
      --attribution   parameters（缺省）：按规则项目（起付标准、各项年度限额、各张比例表、退休人员提高比例、
                      家庭医生签约提高比例、定点药店），各在其版本施行的日期；versions：按新规则时间线的各个
                      版本，每个版本只在其施行期间单独调整；none：不归因（每项每个案例少结算一次）
      --threads N     用 N 个线程结算；无论 N 为多少，输出都相同
    CSV 文件中以 =、+、-、@、制表符或回车开头的文本单元格前加一个 '，电子表格不会把它当作公式执行；控制字符和
    双向文字控制字符显示为 \\u{…}。
    diff merge 读取各分片的汇总（每个为 diff 输出的最后一行，无论是否 --summary-only），输出与对全部分片的
    案例运行一次完全相同的汇总。各分片须用相同的规则以及相同的 --top、--losers 和 --attribution 运行。请按
    参保人拆分案例，使每个参保人的案例留在同一个分片中并保持顺序。汇总中没有逐次就诊的差异：merge 不接受
    --format csv，请用 --tables。每个汇总带有其输入的行数和哈希（合并结果带有各分片的），以及规则和选项的
    哈希：merge 拒绝已计入的分片（同一文件两次，或经先前的合并再次计入）、其他规则或选项的汇总，以及各项
    数字互相矛盾的汇总，并指出文件、错误代码和字段；此时不输出任何内容，退出状态为 3。

    """
}
