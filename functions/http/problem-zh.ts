/**
 * The Chinese of what a problem says: its title (by code), its detail and the message of each
 * field error, for the offices' pages that show a problem beside its field and for answers that
 * must be worded in Chinese. The HTTP middleware does not import it: its escaped text would add
 * 20 KB to every function's bundle (tests/infra/function-bundles.test.ts). The English texts are the product's stable vocabulary (tests pin them); each rule
 * here matches one English template and words it in Chinese, keeping ids, numbers, dates and
 * field names as they are. tests/unit/http/problem-zh.test.ts finds every message the source
 * can produce and fails for one without a rule, so a new message cannot stay English by mistake.
 */
type Rule = readonly [RegExp, (...groups: string[]) => string];

const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: '数字',
  string: '文本',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  null: 'null',
  undefined: '空值',
  NaN: 'NaN',
  Infinity: '无穷大',
  '-Infinity': '负无穷大',
};
const typeName = (name: string) => TYPE_NAMES[name] ?? name;
const FORMAT_NAMES: Readonly<Record<string, string>> = {
  URL: '网址',
  'ISO datetime': 'ISO 日期时间',
  'ISO date': 'ISO 日期',
  UUID: 'UUID',
  input: '格式',
};
const UNIT_NAMES: Readonly<Record<string, string>> = { characters: '个字符', items: '项' };
const LIST_NAMES: Readonly<Record<string, string>> = { metric: '指标', deliverable: '交付事项' };
const WHAT_NAMES: Readonly<Record<string, string>> = {
  'project definition': '项目定义',
  'milestone report': '进展报告',
  query: '查询参数',
  'replay request': '重放请求',
  subscription: '订阅',
  report: '报告',
  path: '路径',
};
const whatName = (what: string) => WHAT_NAMES[what] ?? what;

/** Field messages: what appears beside a field. */
const FIELD_RULES: readonly Rule[] = [
  [/^Invalid input: expected (\S+), received (\S+)$/, (e, r) => `应为${typeName(e)}，实际为${typeName(r)}`],
  [/^Invalid input: expected (.+)$/, (v) => `应为 ${v}`],
  [/^Invalid option: expected one of (.+)$/, (v) => `应为以下之一：${v}`],
  [
    /^Too big: expected (string|array) to have (<=|<|exactly )(\S+) (characters|items)$/,
    (_s, c, n, u) =>
      `${c === '<' ? '须少于' : c === 'exactly ' ? '须恰好为' : '最多'} ${n} ${UNIT_NAMES[u] ?? u}`,
  ],
  [
    /^Too small: expected (string|array) to have (>=|>|exactly )(\S+) (characters|items)$/,
    (_s, c, n, u) =>
      `${c === '>' ? '须多于' : c === 'exactly ' ? '须恰好为' : '至少'} ${n} ${UNIT_NAMES[u] ?? u}`,
  ],
  [/^Too big: expected \S+ to be (<=|<)(\S+)$/, (c, n) => (c === '<' ? `须小于 ${n}` : `不能大于 ${n}`)],
  [/^Too small: expected \S+ to be (>=|>)(\S+)$/, (c, n) => (c === '>' ? `须大于 ${n}` : `不能小于 ${n}`)],
  [/^Invalid string: must match pattern (.+)$/, (p) => `须符合格式 ${p}`],
  [
    /^Invalid (URL|ISO datetime|ISO date|UUID|input)$/,
    (f) => (f === 'input' ? '输入无效' : `无效的${FORMAT_NAMES[f]}`),
  ],
  [/^Unrecognized keys?: (.+)$/, (keys) => `不接受的字段：${keys}`],
  [/^Invalid key in (\S+)$/, (origin) => `${origin} 中有无效的键`],
  [/^must be a number$/, () => '必须是数字'],
  [/^must not be negative$/, () => '不能为负数'],
  [/^must be at most (\S+) characters$/, (n) => `最多 ${n} 个字符`],
  [/^must be at most (\S+) for (json|csv)$/, (n, f) => `${f} 格式下不能大于 ${n}`],
  [/^must be at most (\S+)$/, (n) => `不能大于 ${n}`],
  [/^must be at least (\S+)$/, (n) => `不能小于 ${n}`],
  [/^must be greater than 0$/, () => '必须大于 0'],
  [/^must be greater than the baseline \((.+)\)$/, (b) => `必须大于基准值（${b}）`],
  [/^must be lower than the baseline \((.+)\)$/, (b) => `必须小于基准值（${b}）`],
  [
    /^must be a whole number: (\S+) counts(?: \((.+)\))?$/,
    (id, unit) => `必须是整数：${id} 按${unit === undefined ? '' : `“${unit}”`}计数`,
  ],
  [/^must be a whole number$/, () => '必须是整数'],
  [/^must be a whole year$/, () => '必须是整数年份'],
  [/^must be (\d+) or later$/, (y) => `不能早于 ${y} 年`],
  [/^must be (\d+) or earlier$/, (y) => `不能晚于 ${y} 年`],
  [/^must be a date written YYYY-MM-DD$/, () => '日期须写作 YYYY-MM-DD'],
  [/^must be a real calendar date$/, () => '必须是真实存在的日期'],
  [/^must not be empty$/, () => '不能为空'],
  [/^is required$/, () => '必填'],
  [/^header is required$/, () => '缺少此请求头'],
  [/^must be an http\(s\) URL$/, () => '必须是 http 或 https 网址'],
  [/^must be an ISO 8601 date-time, e\.g\. (\S+)$/, (e) => `必须是 ISO 8601 日期时间，例如 ${e}`],
  [
    /^must be a (project|replay|subscription) id$/,
    (k) => `必须是${k === 'project' ? '项目' : k === 'replay' ? '重放' : '订阅'}编号`,
  ],
  [/^must be lower-?case letters, digits and hyphens$/, () => '只能包含小写字母、数字和连字符'],
  [/^must be 1 to 255 visible ASCII characters$/, () => '必须是 1 到 255 个可见 ASCII 字符'],
  [/^must be valid JSON$/, () => '必须是有效的 JSON'],
  [/^must name at least one province$/, () => '至少须指定一个省市'],
  [/^must not repeat a value$/, () => '不能有重复的值'],
  [/^must list at most (\S+)$/, (n) => `最多列出 ${n} 项`],
  [/^repeats (metric|deliverable) id (\S+)$/, (k, id) => `${LIST_NAMES[k]}编号 ${id} 重复`],
  [/^need a regional target as well$/, () => '还须设定区域目标'],
  [
    /^are only for 'sum' projects; an 'each' project's target applies to every province$/,
    () => '仅适用于“合计”类项目；“各自达标”类项目的目标适用于每个省市',
  ],
  [/^are not for a 'region' metric: it has one figure$/, () => '不适用于“全区域”指标：它只有一个数值'],
  [
    /^is only for a 'region' metric: each office reports its own province$/,
    () => '仅适用于“全区域”指标：各省市办公室填报本省市的数值',
  ],
  [/^required when the coordinator reports$/, () => '区域合作办填报时必填'],
  [/^use the nextCursor returned by the previous page$/, () => '请使用上一页返回的 nextCursor'],
  [
    /^is more than (\d+) times the (target|baseline) of (\S+); check the unit$/,
    (n, what, v) => `超过${what === 'target' ? '目标' : '基准值'} ${v} 的 ${n} 倍，请检查单位`,
  ],
  [/^may have at most (\d+) decimal places$/, (n) => `最多保留 ${n} 位小数`],
  [/^must be a number from 0 to (\S+)$/, (n) => `必须是 0 到 ${n} 之间的数字`],
  [/^must not be before startDate \((.+)\)$/, (d) => `不能早于开始日期（${d}）`],
  [/^must not be before the project's start \((.+)\)$/, (d) => `不能早于项目开始日期（${d}）`],
  [/^must not be in the future \(today is (.+) in China\)$/, (d) => `不能晚于今天（北京时间 ${d}）`],
  [
    /^must be well-formed Unicode: (\S+) is half of a surrogate pair$/,
    (c) => `必须是格式正确的 Unicode：${c} 是代理对的一半`,
  ],
  [
    /^must not contain bidirectional formatting characters such as (\S+)$/,
    (c) => `不能包含双向格式控制字符（如 ${c}）`,
  ],
  [
    /^must not contain control characters such as (\S+): it is a single line$/,
    (c) => `不能包含控制字符（如 ${c}）：此项只能是一行`,
  ],
  [
    /^must not contain control characters such as (\S+) \(line breaks and tabs are allowed\)$/,
    (c) => `不能包含控制字符（如 ${c}），换行和制表符除外`,
  ],
  [/^must be printable text$/, () => '必须是可显示的文本'],
  [/^a URL is required$/, () => '须填写网址'],
  [/^it is longer than (\d+) characters$/, (n) => `网址超过 ${n} 个字符`],
  [/^it contains spaces or control characters$/, () => '网址含有空格或控制字符'],
  [/^it is not an absolute URL$/, () => '不是完整的绝对网址'],
  [/^it must use https \(or http to localhost\)$/, () => '须使用 https（发往 localhost 时可用 http）'],
  [/^it must use https$/, () => '须使用 https'],
  [/^it must not contain a user name or password$/, () => '网址中不能含有用户名或密码'],
  [/^it must not contain a fragment \(#\)$/, () => '网址中不能含有片段（#）'],
  [/^port 0 is not allowed$/, () => '不允许使用 0 端口'],
  [/^its port must be one of (.+)$/, (ports) => `端口须为以下之一：${ports}`],
  [/^its host is a private, loopback or reserved IP address$/, () => '主机是私有、环回或保留 IP 地址'],
  [/^its host must be a fully qualified domain name$/, () => '主机须是完整的域名'],
  [/^its host is a local or internal name$/, () => '主机是本地或内部名称'],
  [/^its host name could not be resolved$/, () => '无法解析主机名'],
  [
    /^its host name resolves to a private, loopback or reserved address$/,
    () => '主机名解析为私有、环回或保留地址',
  ],
];

/** Titles, by problem code: the same for every occurrence. */
export const PROBLEM_TITLES_ZH: Readonly<Record<string, string>> = {
  'validation-failed': '请求无效',
  unauthenticated: '需要有效的访问令牌',
  forbidden: '无权执行此操作',
  'not-found': '未找到',
  'not-acceptable': '没有符合 Accept 请求头的表示形式',
  'payload-too-large': '请求内容过大',
  'unsupported-media-type': '请求内容必须是 JSON',
  'service-unavailable': '服务暂时不可用',
  'decrease-without-correction-reason': '数值回退须说明更正原因',
  'backfill-exceeds-current-value': '较早日期的报告不能超过当前数值',
  'idempotency-key-reused': '此 Idempotency-Key 已用于另一请求',
  'concurrent-modification': '记录已被另一请求修改，请重试',
  'project-year-immutable': '项目所属年度不能更改',
  'project-exists': '项目已存在',
  'subscription-limit-reached': '该办公室的订阅数已达上限',
  'deliverable-already-done': '该交付事项已完成；更改须说明更正原因',
  'deliverable-not-done': '该交付事项尚未完成，无可撤销',
};

/** Details: the sentence that says what happened this time. */
const DETAIL_RULES: readonly Rule[] = [
  [/^The (.+) is not valid\.$/, (what) => `${whatName(what)}无效。`],
  [/^The report does not fit project (\S+)\.$/, (id) => `该报告不符合项目 ${id} 的要求。`],
  [/^The definition of project (\S+) is not valid\.$/, (id) => `项目 ${id} 的定义无效。`],
  [/^The metrics of project (\S+) are not valid\.$/, (id) => `项目 ${id} 的指标无效。`],
  [/^The request needs a JSON body\.$/, () => '请求须带 JSON 内容。'],
  [/^The body is not valid JSON\.$/, () => '请求内容不是有效的 JSON。'],
  [/^The Idempotency-Key header is not valid\.$/, () => 'Idempotency-Key 请求头无效。'],
  [
    /^Send an Idempotency-Key header \(for example a UUID\) so that a retry is not recorded twice\.$/,
    () => '请发送 Idempotency-Key 请求头（例如一个 UUID），以免重试时重复记录。',
  ],
  [/^The cursor is not valid for this listing\.$/, () => '该游标不适用于此列表。'],
  [/^The webhook URL is not allowed: (.+)$/, (why) => `不允许使用此 Webhook 地址：${why}`],
  [/^Deliverable (\S+) cannot be marked done\.$/, (id) => `交付事项 ${id} 不能标记为完成。`],
  [
    /^Deliverable (\S+) is not marked done: there is nothing to undo\.$/,
    (id) => `交付事项 ${id} 尚未标记完成，无可撤销。`,
  ],
  [
    /^Deliverable (\S+) was already marked done on (\S+); changing it is a correction and needs a correctionReason\.$/,
    (id, d) => `交付事项 ${id} 已于 ${d} 标记完成；更改属于更正，须填写 correctionReason。`,
  ],
  [/^The coordinator must name the province it reports for\.$/, () => '区域合作办填报时须指明所代报的省市。'],
  [
    /^The (\S+) office may report only for (\S+), not for (\S+)\.$/,
    (o, own, other) => `${o} 办公室只能填报 ${own} 的数据，不能填报 ${other} 的数据。`,
  ],
  [
    /^The (\S+) office may not mark deliverable (\S+): it belongs to (.+)\.$/,
    (o, id, owners) => `${o} 办公室不能标记交付事项 ${id}：它属于 ${owners}。`,
  ],
  [/^Only the coordinator may (.+)\.$/, (action) => `只有区域合作办可以执行此操作（${action}）。`],
  [/^There is no project (\S+)\.$/, (id) => `没有项目 ${id}。`],
  [/^There is no subscription (\S+)\.$/, (id) => `没有订阅 ${id}。`],
  [/^There is no replay (\S+) of subscription (\S+)\.$/, (r, id) => `订阅 ${id} 没有重放 ${r}。`],
  [/^Project (\S+) already exists\.$/, (id) => `项目 ${id} 已存在。`],
  [
    /^Project (\S+) belongs to the (\d+) list; create a new project for (\d+)\.$/,
    (id, y, y2) => `项目 ${id} 属于 ${y} 年清单；请为 ${y2} 年新建项目。`,
  ],
  [
    /^Project (\S+) was changed by another request; read it again and retry\.$/,
    (id) => `项目 ${id} 已被另一请求修改；请重新读取后重试。`,
  ],
  [
    /^A value of (\S+) as of (\S+) exceeds the current value (\S+) as of (\S+); cumulative values do not fall over time\. Report it with the later date instead\.$/,
    (v, d, c, cd) =>
      `${d} 的数值 ${v} 超过了 ${cd} 的当前数值 ${c}；累计数值不会随时间减少。请改用较晚的日期填报。`,
  ],
  [
    /^A value of (\S+) as of (\S+) is below the current value (\S+) as of (\S+); this figure is pushed down, so an earlier one cannot be lower\. Report it with the later date instead\.$/,
    (v, d, c, cd) =>
      `${d} 的数值 ${v} 低于 ${cd} 的当前数值 ${c}；此指标以降低为目标，较早的数值不会更低。请改用较晚的日期填报。`,
  ],
  [
    /^The current value is (\S+) as of (\S+); a lower value \((\S+)\) is a correction and needs a correctionReason\.$/,
    (c, d, v) => `当前数值为 ${c}（截至 ${d}）；更低的数值（${v}）属于更正，须填写 correctionReason。`,
  ],
  [
    /^The current value is (\S+) as of (\S+); this figure is pushed down, so a higher value \((\S+)\) is a correction and needs a correctionReason\.$/,
    (c, d, v) =>
      `当前数值为 ${c}（截至 ${d}）；此指标以降低为目标，更高的数值（${v}）属于更正，须填写 correctionReason。`,
  ],
  [
    /^Other reports for (\S+) kept arriving at the same moment; retry with the same Idempotency-Key\.$/,
    (p) => `${p} 的其他报告同时提交；请用同一 Idempotency-Key 重试。`,
  ],
  [
    /^The project's definition kept changing while the report was decided; retry with the same Idempotency-Key\.$/,
    () => '判定报告期间项目定义不断变化；请用同一 Idempotency-Key 重试。',
  ],
  [
    /^The database kept reporting conflicting transactions; retry with the same Idempotency-Key\.$/,
    () => '数据库持续报告事务冲突；请用同一 Idempotency-Key 重试。',
  ],
  [
    /^This Idempotency-Key was already used for a different (\S+); use a new key for a new (\S+)\.$/,
    (_a, b) => `此 Idempotency-Key 已用于另一请求；新的${whatName(b)}请使用新的键。`,
  ],
  [
    /^This Idempotency-Key created a subscription that has since been deleted; use a new key to subscribe again\.$/,
    () => '此 Idempotency-Key 创建的订阅已被删除；重新订阅请使用新的键。',
  ],
  [
    /^The (\S+) office already has (\d+) subscriptions; delete one before adding another\.$/,
    (o, n) => `${o} 办公室已有 ${n} 个订阅；请先删除一个再新增。`,
  ],
  [
    /^The subscription's secret was rotated by another request at the same time; rotate again\.$/,
    () => '订阅密钥同时被另一请求轮换；请再次轮换。',
  ],
  [
    /^The body is (\d+) bytes; the limit is (\d+) bytes\.$/,
    (n, max) => `请求内容为 ${n} 字节，上限为 ${max} 字节。`,
  ],
  [
    /^Send the body as application\/json(?:, not (.+)| \(the Content-Type header is missing\))\.$/,
    (type) =>
      type === undefined
        ? '请以 application/json 发送请求内容（缺少 Content-Type 请求头）。'
        : `请以 application/json 发送请求内容，而不是 ${type}。`,
  ],
  [/^Unknown format "(.*)": use json or csv\.$/, (f) => `未知格式“${f}”：请使用 json 或 csv。`],
  [
    /^This history is available as application\/json or text\/csv\.$/,
    () => '此历史记录只提供 application/json 或 text/csv 格式。',
  ],
  [/^The bearer token has expired; get a new one\.$/, () => '访问令牌已过期，请重新获取。'],
  [
    /^The token carries no role of this product \(a province office or the coordinator\)\.$/,
    () => '该令牌不含本系统的角色（省市办公室或区域合作办）。',
  ],
  [
    /^The token names more than one province office; use one account per office\.$/,
    () => '该令牌对应多个省市办公室；每个办公室请使用一个账号。',
  ],
  [
    /^This API takes the access token of a sign-in, not the ID token\.$/,
    () => '本接口需要登录的访问令牌，而不是 ID 令牌。',
  ],
  [/^This request needs a valid bearer token\.$/, () => '此请求需要有效的访问令牌。'],
  [
    /^This request needs an Authorization: Bearer <token> header\.$/,
    () => '此请求需要 Authorization: Bearer <令牌> 请求头。',
  ],
  [
    /^The request took too long; retry with the same Idempotency-Key\.$/,
    () => '请求处理超时；请用同一 Idempotency-Key 重试。',
  ],
  [/^The database is throttling; retry shortly\.$/, () => '数据库正在限流，请稍后重试。'],
  [
    /^(.+) is busy or unreachable; retry shortly\.$/,
    (what) => `${what === 'The database' ? '数据库' : what}繁忙或无法连接，请稍后重试。`,
  ],
  [/^Too many subscription changes at once; retry shortly\.$/, () => '同时进行的订阅变更过多，请稍后重试。'],
  [
    /^An unexpected error occurred\.(?: Reference: (\S+)\.)?$/,
    (ref) => `发生了意外错误。${ref === undefined ? '' : `参考编号：${ref}。`}`,
  ],
];

const translate = (rules: readonly Rule[], text: string): string | null => {
  for (const [pattern, word] of rules) {
    const match = pattern.exec(text);
    if (match) return word(...(match.slice(1) as string[]));
  }
  return null;
};

export const fieldMessageZh = (message: string): string | null => translate(FIELD_RULES, message);
export const detailZh = (detail: string): string | null => translate(DETAIL_RULES, detail);

/** A problem document in Chinese: each part with a rule is translated, anything else kept as it is. */
export const problemInZh = <
  P extends { type: string; title: string; detail?: string; errors?: { field: string; message: string }[] },
>(
  problem: P,
): P => {
  const code = problem.type.slice(problem.type.lastIndexOf(':') + 1);
  return {
    ...problem,
    title:
      PROBLEM_TITLES_ZH[code] ??
      (problem.title === 'Internal Server Error' ? '服务器内部错误' : problem.title),
    ...(problem.detail === undefined ? {} : { detail: detailZh(problem.detail) ?? problem.detail }),
    ...(problem.errors === undefined
      ? {}
      : {
          errors: problem.errors.map((issue) => ({
            ...issue,
            message: fieldMessageZh(issue.message) ?? issue.message,
          })),
        }),
  };
};
