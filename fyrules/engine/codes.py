"""The catalog of problem codes: every code fyrules can report, with a title in both languages.

``docs/error-codes.md`` documents each one; a test keeps the two in step. Codes are stable:
CI pipelines and editors match on them, so a code is never renamed or reused.
"""

from __future__ import annotations

import attrs


@attrs.frozen(slots=True)
class CodeInfo:
    code: str
    title_zh: str
    title_en: str


def _c(code: str, zh: str, en: str) -> tuple[str, CodeInfo]:
    return code, CodeInfo(code, zh, en)


CODES: dict[str, CodeInfo] = dict(
    [
        # --- files and YAML -------------------------------------------------------------
        _c("FILE-NOT-FOUND", "文件或目录不存在", "file or folder not found"),
        _c("FILE-UNREADABLE", "文件无法读取或不是 UTF-8 编码", "file unreadable or not UTF-8"),
        _c("YAML-SYNTAX", "YAML 语法错误", "YAML syntax error"),
        _c("YAML-DUPLICATE-KEY", "同一映射中键重复", "duplicate key in a mapping"),
        _c("YAML-ALIAS", "不支持 YAML 锚点和别名", "YAML anchors and aliases are not supported"),
        _c("YAML-TAG", "不支持的 YAML 标签", "unsupported YAML tag"),
        _c("YAML-TOO-LARGE", "YAML 文件过大或嵌套过深", "YAML file too large or too deeply nested"),
        _c("PATH-OUTSIDE", "路径指向规则集目录之外", "a path that leads out of the rulebook"),
        _c("PATH-INVALID", "路径或文件类型无效", "a path or file kind that cannot be read"),
        # --- structure (validated with the rule-file schema) ----------------------------
        _c("UNKNOWN-KEY", "未知的键", "unknown key"),
        _c("MISSING-KEY", "缺少必填的键", "required key missing"),
        _c("WRONG-TYPE", "值的类型不对", "value of the wrong type"),
        _c("INVALID-VALUE", "值不合法", "invalid value"),
        _c("MISSING-BASIS", "规则缺少依据", "rule without a basis"),
        _c("DUPLICATE-ID", "编号重复", "duplicate id"),
        _c("UNKNOWN-REFERENCE", "引用的对象不存在", "reference to something that does not exist"),
        _c("UNKNOWN-SCOPE", "未知的作用域", "unknown scope"),
        _c(
            "UNKNOWN-FILE-KIND",
            "规则集目录中无法识别的文件",
            "file of a kind the rulebook does not know",
        ),
        # --- layering ------------------------------------------------------------------
        _c("EXTENDS-CYCLE", "规则集继承形成循环", "cycle in extends"),
        _c("EXTENDS-NOT-FOUND", "继承的规则集不存在", "extended rulebook not found"),
        _c("LOOSENED", "下级规则集放宽了上级的规定", "a local rulebook loosens a higher one"),
        # --- rules and validity --------------------------------------------------------
        _c(
            "VALIDITY-OVERLAP",
            "同一规则的两个版本有效期重叠",
            "two versions of a rule overlap in time",
        ),
        _c("VALIDITY-EMPTY", "有效期结束早于开始", "validity ends before it starts"),
        _c("MESSAGE-PLACEHOLDER", "消息模板中的占位符无效", "invalid placeholder in a message"),
        # --- expressions ----------------------------------------------------------------
        _c("EXPR-SYNTAX", "表达式语法错误", "expression syntax error"),
        _c("EXPR-FORBIDDEN", "表达式使用了不允许的写法", "expression uses a forbidden construct"),
        _c("EXPR-TOO-LONG", "表达式过长", "expression too long"),
        _c("EXPR-TOO-DEEP", "表达式嵌套过深", "expression nested too deeply"),
        _c("EXPR-UNKNOWN-FIELD", "表达式引用了未知字段", "expression names an unknown field"),
        _c("EXPR-UNKNOWN-FUNCTION", "表达式调用了未知函数", "expression calls an unknown function"),
        _c("EXPR-ARGUMENTS", "函数参数个数或类型不对", "wrong arguments to a function"),
        _c("EXPR-TYPE", "表达式类型不匹配", "type mismatch in an expression"),
        _c("EXPR-LITERAL", "字面量过大", "literal too large"),
        _c(
            "EXPR-UNKNOWN-VALUE",
            "字段与它不可能取的值比较，规则永不触发",
            "a field compared with a value it never takes: the rule never fires",
        ),
        _c(
            "EXPR-CONSTANT",
            "条件永远成立或永远不成立",
            "a condition that always or never holds",
        ),
        _c("EXPR-EVALUATION", "表达式求值出错", "expression failed while evaluating"),
        # --- decision tables ------------------------------------------------------------
        _c("TABLE-CELL", "决策表单元格无法解析", "decision-table cell cannot be read"),
        _c("TABLE-SHAPE", "决策表的行列与表头不符", "decision-table row does not match its header"),
        _c("TABLE-OVERLAP", "唯一命中策略下规则行重叠", "rows overlap under the UNIQUE hit policy"),
        _c("TABLE-GAP", "有输入组合没有任何行覆盖", "input values that no row covers"),
        _c("TABLE-NO-MATCH", "没有行匹配输入", "no row matches the input"),
        _c(
            "TABLE-MULTIPLE-MATCH",
            "多行匹配且结果不一致",
            "several rows match with different results",
        ),
        _c(
            "TABLE-INPUT",
            "查表输入缺失、类型不对或超出范围",
            "lookup input missing, mistyped or out of domain",
        ),
        _c("CSV-FORMAT", "CSV 文件格式错误", "malformed CSV file"),
        # --- events -------------------------------------------------------------------------
        _c("EVENT-INVALID", "事件格式不合法", "malformed event"),
        _c(
            "EVENT-VALUE", "事件含有留痕无法记录的值", "event holds a value the trail cannot record"
        ),
        _c("EVENT-ID-CONFLICT", "事件编号已用于另一事件", "event id already used by another event"),
        _c(
            "CLOCK-NOT-STARTED",
            "案件尚未受理，时限未起算",
            "case not accepted: its clock has not started",
        ),
        _c("UNKNOWN-ITEM", "事项不在目录中", "item not in the catalog"),
        # --- rulebook tests ---------------------------------------------------------------
        _c("TEST-FAILED", "规则集测试未通过", "rulebook test failed"),
        _c("TEST-INVALID", "规则集测试用例写法有误", "rulebook test case is malformed"),
        _c("COVERAGE-LOW", "测试覆盖率低于要求", "test coverage below the required minimum"),
        _c(
            "INVARIANT-BROKEN",
            "监控器接受的事件序列违反了不变式",
            "an event stream the monitor accepts breaks an invariant",
        ),
        # --- calendar ---------------------------------------------------------------------
        _c("CALENDAR-CONFLICT", "同一日期既放假又上班", "a date is both a day off and a workday"),
        _c(
            "CALENDAR-NO-EFFECT",
            "周末列为放假日或工作日列为调休上班日",
            "a weekend day listed as off, or a weekday as a make-up workday",
        ),
        _c("CALENDAR-DUPLICATE-DATE", "同一日期重复列出", "a date is listed twice"),
        _c("CALENDAR-OUT-OF-RANGE", "日期超出日历年份范围", "date outside the calendar's years"),
        _c("CALENDAR-SCHEDULE-MISSING", "缺少下一年度放假安排", "next year's schedule missing"),
        _c("CALENDAR-YEAR-UNCONFIRMED", "可信年份无调休数据", "trusted year, no make-up days"),
        # --- working hours -------------------------------------------------------------
        _c("HOURS-UNDEFINED", "规则集未定义办公时间", "the rulebook defines no opening hours"),
        _c("HOURS-SESSION-ORDER", "办公时段颠倒或重叠", "sessions out of order or overlapping"),
        _c("HOURS-SEASON-RANGE", "季节作息的日期范围无效", "a season's date range is invalid"),
        _c("HOURS-SEASON-OVERLAP", "两种季节作息的日期重叠", "two seasons cover the same day"),
        # --- parallel approval ---------------------------------------------------------
        _c("DEPENDENCY-CYCLE", "前置事项或并联审批组形成循环", "prerequisites form a cycle"),
        _c("PROJECT-LIMIT-MISSING", "项目中的事项缺少时限", "an item of a project has no limit"),
        # --- catalog import ---------------------------------------------------------------
        _c("IMPORT-SHEET", "事项清单无法按表读取", "the item list cannot be read as a sheet"),
        _c("IMPORT-COLUMN", "事项清单的表头有误", "a header of the item list is wrong"),
        _c("IMPORT-CELL", "事项清单的单元格无法读取", "a cell of the item list cannot be read"),
        _c("IMPORT-DUPLICATE", "事项编码重复", "an item code repeats"),
        _c("IMPORT-MAPPING", "列映射文件有误", "the column mapping file is wrong"),
        _c("IMPORT-XLSX", "读取 .xlsx 需要 openpyxl", "reading .xlsx needs openpyxl"),
        _c("IMPORT-ENCODING", "事项清单所用的编码", "the encoding the item list was read in"),
        _c("IMPORT-EXISTS", "输出文件已存在", "an output file already exists"),
        _c("IMPORT-WRITE", "无法写入输出文件", "an output file cannot be written"),
        # --- trail ---------------------------------------------------------------------
        _c("TRAIL-VALUE", "值没有规范 JSON 形式", "a value without a canonical JSON form"),
        _c("TRAIL-FORMAT", "留痕条目或行无法读取", "a trail entry or line cannot be read"),
        _c("TRAIL-BROKEN", "留痕哈希链断裂", "the trail's hash chain is broken"),
        _c("TRAIL-HEAD", "留痕与公布的头部不符", "the trail does not match its published head"),
        _c(
            "STORE-UNAVAILABLE",
            "存储无法打开或不是 fyrules 的存储",
            "the store cannot be opened or is not a fyrules store",
        ),
        _c(
            "STORE-PARTITION",
            "案件不属于本存储的分区",
            "a case of another partition than the store's",
        ),
        # --- the durable_rules adapter ------------------------------------------------------
        _c(
            "DURABLE-UNAVAILABLE",
            "durable_rules 在此无法运行",
            "durable_rules does not run here",
        ),
        _c(
            "DURABLE-UNEXPRESSED",
            "规则无法在 durable_rules 中表达",
            "a rule durable_rules cannot express",
        ),
        # --- processes ---------------------------------------------------------------------
        _c(
            "PROCESS-UNKNOWN-EVENT",
            "流程中的事件类型不存在",
            "a process names an unknown event kind",
        ),
        _c(
            "PROCESS-UNKNOWN-STAGE",
            "流程引用了它没有的环节",
            "a process refers to a stage it lacks",
        ),
        _c(
            "PROCESS-UNREACHABLE",
            "流程中有无法到达的环节",
            "a stage of a process cannot be reached",
        ),
        _c("PROCESS-NO-PATH", "流程没有从受理到办结的路径", "no path from accept to complete"),
        _c("PROCESS-OVERLAP", "同一事项或类别同时有两个有效流程", "two processes in force at once"),
        _c("PROCESS-MISSING", "事项没有有效的办理流程", "an item has no process in force"),
        _c(
            "EVENT-CASE-MISMATCH", "事件用于另一案件的状态", "event applied to another case's state"
        ),
        _c("EVENT-ITEM-MISMATCH", "事件的事项与案件不符", "event names another item than its case"),
        _c("EVENT-UNKNOWN-ITEM", "事件的事项不在目录中", "event for an item not in the catalog"),
        _c("EVENT-UNKNOWN-CASE", "未知案件的事件", "event for a case never seen"),
        _c("EVENT-NO-PROCESS", "事项当日没有有效流程", "no process in force for the item"),
        _c(
            "EVENT-PROCESS-CHANGED",
            "案件绑定的流程已被改动",
            "the case's bound process was changed",
        ),
        _c(
            "EVENT-TIME-BACKWARDS", "事件时间早于案件上一事件", "event earlier than the case's last"
        ),
        _c(
            "EVENT-ID-NOT-CANONICAL",
            "事件中的编号不是规范形式",
            "an id in the event is not in canonical form",
        ),
        _c(
            "EVENT-DATA-MISSING",
            "事件缺少流程要求的数据",
            "event without the data its process requires",
        ),
        _c("EVENT-NO-ACTOR", "事件缺少经办人", "event without an actor"),
        _c("EVENT-NOT-IN-PROCESS", "流程中没有此事件", "the process has no such event"),
        _c("EVENT-AFTER-CLOSE", "案件结束后的事件", "event after the case closed"),
        _c("EVENT-OUT-OF-ORDER", "事件顺序不符合流程", "event out of the process's order"),
        _c("EVENT-PAUSED", "暂停期间推进环节", "a stage event while the case is paused"),
        _c("EVENT-ALREADY-PAUSED", "暂停中再次暂停", "pause while already paused"),
        _c("EVENT-NO-PAUSE", "没有暂停却恢复", "resume without an open pause"),
        # --- separation ---------------------------------------------------------------
        _c("SOD-VIOLATION", "任职违反职责分离约束", "assignments break an SoD constraint"),
        _c(
            "SOD-HISTORY",
            "事件违反基于办件历史的职责分离约束",
            "event breaks a history-based SoD constraint",
        ),
        _c("SOD-RECUSAL", "须回避的人员办理了案件", "event by a person recused from the case"),
        _c(
            "EVENT-RULE",
            "事件被 event 作用域的规则拒绝",
            "event refused by a rule of the event scope",
        ),
        _c("ROSTER-NOT-LISTED", "经办人当日不在人员名册上", "actor not on the roster that day"),
        _c(
            "ROSTER-NO-ROLE",
            "经办人对该事项不担任该环节所需的角色",
            "actor holds no role the event needs for the item",
        ),
        _c(
            "ROSTER-AUTHORIZATION",
            "决定超出经办人对该事项的审批权限",
            "decision beyond the item's authorization level",
        ),
        _c(
            "ROSTER-APPROVER",
            "批准人不担任有权批准的角色",
            "the approver holds no role that may approve",
        ),
        _c(
            "ASSIGNMENT-RULE",
            "任职不符合 assignment 作用域的规则",
            "assignment breaks an assignment rule",
        ),
        # --- scoring ------------------------------------------------------------------
        _c("SCORE-WEIGHTS", "分值之和与声明的不符", "weights do not add up to what is declared"),
        _c("SCORE-BAND", "得分档次表不能给出分数", "a band table cannot give points"),
        _c(
            "SCORE-BAND-GAP",
            "得分档次表有取值得不到分数",
            "a band table leaves values without points",
        ),
        _c("SCORE-NO-SCHEME", "没有有效的测评方案", "no scoring scheme in force"),
        _c("ASSESSMENT-INVALID", "常态指数数据行有误", "a bad row of normal-index data"),
        # --- random inspection ------------------------------------------------------------
        _c(
            "INSPECTION-INFEASIBLE",
            "抽中的案件无法全部指派抽查人员",
            "no inspector assignment honours every rule",
        ),
        _c(
            "INSPECTION-FINDING-INVALID",
            "抽查记录中的问题无法读取",
            "a finding of an inspection cannot be read",
        ),
        _c("INSPECTION-NO-INSPECTORS", "没有可以承担抽查的人员", "no one can take an inspection"),
        # --- notifications ----------------------------------------------------------------
        _c(
            "NOTIFY-RULE-SCOPE",
            "预警通知的触发规则不是 case 作用域的规则",
            "a notification trigger names a rule outside the case scope",
        ),
        _c(
            "SUPERVISION-INFORM",
            "批准后未按期告知监管部门",
            "an approval not told to the supervisors in time",
        ),
        # --- complaints and accountability (findings; a rulebook may name its own ids) -----
        _c("COMPLAINT-UNANSWERED", "投诉逾期未答复", "a complaint not answered in time"),
        _c(
            "ACCOUNTABILITY-UNKNOWN-DECISION",
            "问责决定未在规则集中声明",
            "an accountability decision the rulebook does not declare",
        ),
        # --- the center: the catalog's classes, projects, townships ------------------------
        _c(
            "ARTICLE45-LOCAL",
            "本地特殊环节不得标为第四十五条程序",
            "a local procedure marked as one of Art. 45's",
        ),
        _c(
            "ITEM-PROBABLE-DUPLICATE",
            "不同部门的事项设定依据相同、名称相似，疑似重复",
            "items of two departments with the same basis and similar names",
        ),
        _c(
            "PROJECT-GREEN-SLOWER",
            "绿色通道项目的时限或优先级不如一般项目",
            "the green channel is no faster than a standard project",
        ),
        _c(
            "HANDOFF-BROKEN",
            "上报移交与下级留痕对不上",
            "a report-up hand-off the lower trail does not confirm",
        ),
    ]
)


def title(code: str) -> CodeInfo:
    """The catalog entry of ``code``; unknown codes are a programming error of fyrules."""
    return CODES[code]
