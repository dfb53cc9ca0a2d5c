// @ts-check
/**
 * English and Simplified Chinese for the app's own labels (titles, buttons, hints: the
 * engine's words are labelled from its vocabulary, see words.js), and number, money,
 * percentage and date formatting for a language. Each `<audience-lab>` holds its own `I18n` (two elements
 * on a page can speak two languages); the language follows the browser unless the user (or
 * the `lang` attribute of the element) picks one.
 */

/** @typedef {'en' | 'zh'} Lang */
/** @typedef {keyof typeof en} Key */

const en = {
  'app.title': 'audience-lab',
  'app.privacy': 'Your files are analysed in this browser. No byte of customer data is uploaded.',
  'app.offline': 'Works offline',
  'app.language': 'Language',
  'app.badMaxMemory': 'max-memory="{value}" is not a size: write a number of bytes (536870912) or a number with MB, GB, MiB or GiB (512MB, 1.5GB, 512MiB, 2GiB). The analysis engine was not started.',
  'keep.switch': 'Keep data in this browser',
  'keep.hint': 'Stores the loaded tables and what this app shows in this browser\'s private storage, so that the next visit opens them without the files. Nothing leaves this browser.',
  'keep.kept': 'Kept in this browser: {tables} · {size}', 'keep.noTables': 'no table yet',
  'keep.keeping': 'Keeping the data in this browser…', 'keep.restoring': 'Restoring {tables} from this browser…',
  'keep.forget': 'Forget', 'keep.forgetHint': 'Deletes everything kept in this browser',
  'keep.forgotten': 'Forgotten: nothing is kept in this browser.',
  'keep.full': 'Not enough storage in this browser to keep the data; nothing was kept.',
  'keep.version': 'The data kept in this browser was stored by another version of audience-lab and is not read: load the files again, or forget it.',
  'keep.refused': 'The data kept in this browser cannot be restored: load the files again, or forget it.',
  'keep.failed': 'The data could not be kept in this browser.',
  'nav.load': 'Load', 'nav.overview': 'Overview', 'nav.rfm': 'RFM', 'nav.cohorts': 'Cohorts', 'nav.movement': 'Movement', 'nav.clv': 'CLV',
  'nav.tags': 'Tags', 'nav.builder': 'Builder', 'nav.export': 'Export', 'nav.campaigns': 'Campaigns',
  'nav.needsOrders': 'Load an orders file first',
  'load.title': 'Load exports',
  'load.hint': 'Drop the member and order exports of your CRM or shop (CSV, Excel, Parquet, Arrow, NDJSON; UTF-8 or GBK), or pick them.',
  'load.itemsHint': 'The items of the orders in a second file (Taobao 宝贝报表), joined by order id: filter purchases by title or SKU.',
  'load.optional': '(optional)', 'load.choose': 'Choose file', 'load.drop': 'or drop it here',
  'load.sample': 'Load sample', 'load.sampleZh': 'Chinese sample (GBK)', 'load.noExport': 'No export at hand?',
  'load.commit': 'Load', 'load.cancel': 'Cancel', 'load.loading': 'Loading {name}…',
  'load.progress': '{done} of {total} MB · {rows} rows',
  'load.rows': '{name}: {in} rows in, {loaded} loaded, {rejected} rejected',
  'load.columns': '{n} columns', 'load.encoding': 'Encoding', 'load.delimiter': 'delimiter',
  'load.autoEncoding': 'auto-detect', 'load.roleOf': 'Role of column {name}', 'load.noRole': 'no role (an attribute)',
  'load.attribute': 'attribute', 'load.missing': 'Required for {kind}: choose the column for {roles}.',
  'load.by.mapping': 'mapping', 'load.by.header': 'header', 'load.by.values': 'values', 'load.foundBy': 'found by its {how}',
  'load.platform': 'Recognised: {name}', 'load.by.platform': 'platform layout',
  'load.by.email': 'email key', 'load.by.phone': 'phone key', 'load.by.nickname': 'nickname key',
  'load.row': 'row', 'load.column': 'column', 'load.value': 'value', 'load.reason': 'reason',
  'load.role': 'role', 'load.type': 'read as',
  'load.missingSample': 'Sample {file} is missing: run `make samples`.',
  'load.next': 'Continue to the overview',
  'lost.title': 'The analysis engine stopped: your files are no longer loaded',
  'lost.hint': 'The engine running in this page stopped (for example when the browser refuses it more memory) and everything it held is gone. Nothing left this browser.',
  'lost.reason': 'Reason: ', 'lost.table': ' ({table}, {rows} rows): ', 'lost.notLoaded': 'not loaded',
  'lost.dropAgain': ' — it was given as bytes, not as a file: drop it on its card below again.',
  'lost.reload': 'Load again', 'lost.reloadHint': 'Loads the same files again with the same settings.',
  'overview.title': 'Overview', 'overview.asOf': 'As of {date}', 'overview.members': 'Members',
  'overview.funnel': 'Lifecycle', 'overview.timeline': 'Orders over time', 'overview.revenue': 'Net revenue',
  'overview.rates': 'Movement in the last {days} days', 'overview.ratesPeriod': '{from} – {to}, compared with the {days} days before',
  'overview.rate.reactivationRate': 'Reactivation rate', 'overview.rate.churnInRate': 'Churn-in rate', 'overview.rate.newToRepeatRate': 'New-to-repeat rate',
  'overview.detail.reactivationRate': '{n} of {d} dormant or churned members bought again',
  'overview.detail.churnInRate': '{n} of {d} new, active or dormant members churned',
  'overview.detail.newToRepeatRate': '{n} of {d} first-time buyers bought again on another day',
  'overview.change': '{delta} pts vs the {days} days before ({previous})', 'overview.noChange': 'unchanged vs the {days} days before ({previous})',
  'overview.noPrevious': 'The data does not reach back to the {days} days before.',
  'overview.ratesUnavailable': 'Period rates are not available: {reason}',
  'overview.stageTrend': 'Members by lifecycle stage, month by month', 'overview.trendUnavailable': 'The stage trend is not available: {reason}',
  'rfm.title': 'RFM segments', 'rfm.asOf': 'As of', 'rfm.method': 'Scoring', 'rfm.map': 'Segment map',
  'rfm.cuts': '{score}: cut points', 'rfm.cutsHint': 'Four ascending numbers, e.g. {example}',
  'rfm.summary': '{buyers} buyers, {prospects} without a purchase',
  'rfm.segment': 'Segment', 'rfm.members': 'Members', 'rfm.share': 'Share', 'rfm.revenue': 'Revenue',
  'rfm.grid': 'Members by recency (R, rows) and frequency (F, columns)',
  'rfm.open': 'Open "{segment}" in the builder',
  'cohorts.title': 'Cohort retention', 'cohorts.period': 'Period', 'cohorts.by': 'Cohort by',
  'cohorts.show': 'Show', 'cohorts.percent': 'Retention %', 'cohorts.counts': 'Active members', 'cohorts.revenue': 'Revenue',
  'cohorts.cohort': 'Cohort', 'cohorts.size': 'Size', 'cohorts.partial': '(partial)', 'cohorts.curve': 'Average retention by period',
  'movement.title': 'Movement between two dates', 'movement.period': 'Period',
  'movement.last30': 'Last 30 days', 'movement.last91': 'Last quarter (91 days)', 'movement.last365': 'Year over year (365 days)', 'movement.custom': 'Custom',
  'movement.from': 'From', 'movement.to': 'To', 'movement.by': 'Compare by', 'movement.stage': 'Lifecycle stage', 'movement.segment': 'RFM segment',
  'movement.notYet': 'Not yet a member', 'movement.total': 'Total',
  'movement.matrix': 'Members by their state on {from} (rows) and on {to} (columns)',
  'movement.corner': '{from} ↓ · {to} →',
  'movement.flow': 'Flow from {from} to {to}',
  'movement.summary': '{members} members; {moved} in another state on {to} than on {from}',
  'movement.cell': '{from} → {to}: {members} members, net revenue {revenue} between the two dates',
  'movement.hint': 'Click a number to open these members in the builder.',
  'movement.badDates': 'Pick a start date before the end date, the end on or before {asOf}.',
  'clv.title': 'Predicted churn and customer lifetime value', 'clv.lastOrder': 'Latest order: {date}',
  'clv.calibration': 'Fit on purchases up to', 'clv.latest': 'The latest order',
  'clv.holdout90': 'Hold out the last 90 days', 'clv.holdout180': 'Hold out the last 180 days', 'clv.custom': 'Custom',
  'clv.end': 'Calibration end', 'clv.model': 'Model', 'clv.unit': 'Time unit', 'clv.horizon': 'CLV horizon (days)', 'clv.discount': 'Monthly discount rate',
  'clv.model.bgnbd': 'BG/NBD: a customer can leave after a repeat purchase', 'clv.model.mbgnbd': 'MBG/NBD: also after the first purchase',
  'clv.name.bgnbd': 'BG/NBD', 'clv.name.mbgnbd': 'MBG/NBD',
  'clv.unit.days': 'days', 'clv.unit.weeks': 'weeks',
  'clv.badEnd': 'Pick a calibration end on or before the latest order ({last}).',
  'clv.badNumbers': 'The horizon is a number of days of at least 1 and the monthly discount rate a number of at least 0 (0.01 = 1% a month).',
  'clv.customers': 'Customers', 'clv.repeatCustomers': 'Repeat customers', 'clv.meanPAlive': 'Mean P(alive)',
  'clv.expected90': 'Expected purchases, next 90 days', 'clv.totalClv': 'Total CLV, next {days} days',
  'clv.basis': 'Fitted on the purchases up to {end} with {model}, time in {unit}: {triples} distinct purchase histories; spend model on {spend} repeat customers. P(alive) is the probability that a customer is still buying.',
  'clv.atRisk': 'Members at risk worth saving', 'clv.atRiskHint': 'Opens the preset "{preset}" in the builder.',
  'clv.params': 'Fitted parameters', 'clv.paramModel': 'Model', 'clv.paramValues': 'Parameters',
  'clv.row.bgnbd': 'BG/NBD', 'clv.row.mbgnbd': 'MBG/NBD', 'clv.row.gammaGamma': 'Gamma-Gamma (spend)',
  'clv.inUse': 'in use', 'clv.forCheck': 'for the forecast check',
  'clv.histogram': 'Customers by P(alive) ({model})', 'clv.members': 'Customers',
  'clv.checkTitle': 'Forecast check', 'clv.checkPeriod': 'Purchases from {from} to {to} ({days} days) held out of the fit',
  'clv.noHoldout': 'To check the forecast against what happened, fit on the purchases up to a date before the latest order ({last}): hold out the last 90 or 180 days, or pick an earlier calibration end.',
  'clv.frequency': 'Repeat purchases in calibration', 'clv.customersCol': 'Customers',
  'clv.perCustomer': 'Purchases in the holdout, per customer', 'clv.actual': 'Actual', 'clv.overall': 'All customers (total purchases)',
  'clv.reading': 'Over the {days}-day holdout, the {customers} customers made {actual} purchases; BG/NBD expected {bgnbd} ({bgnbdDelta}), MBG/NBD {mbgnbd} ({mbgnbdDelta}).',
  'clv.chartTitle': 'Mean purchases in the holdout by repeat purchases in calibration', 'clv.chartAxis': 'Purchases per customer',
  'clv.checkHint': 'A day with purchases counts as one purchase. Rows: customers by their repeat purchases up to the calibration end (7+: seven or more).',
  'tags.title': 'Tags', 'tags.tag': 'Tag', 'tags.members': 'Members', 'tags.share': 'Share', 'tags.none': 'The loaded members have no tags.',
  'tags.overlap': 'Overlap (Jaccard)', 'tags.upset': 'Intersections', 'tags.toRule': 'Build this audience',
  'tags.pick': 'Tags to compare', 'tags.show': 'Show', 'tags.counts': 'Members in both', 'tags.jaccard': 'Jaccard',
  'tags.summary': '{tagged} of {members} members have a tag', 'tags.none2': 'none of these tags', 'tags.only': 'only',
  'tags.upsetHint': 'Each column: the members with exactly these tags of the set. Click one to build it as an audience.',
  'builder.title': 'Audience builder', 'builder.name': 'Name', 'builder.count': 'Members',
  'builder.addCondition': '+ Condition', 'builder.addGroup': '+ Group', 'builder.conditionType': 'Condition type', 'builder.remove': 'Remove',
  'builder.addAt': '+ As of…', 'builder.atDate': 'a date', 'builder.atDaysAgo': 'days ago', 'builder.atWhen': 'Which date',
  'builder.column': 'Column', 'builder.operator': 'Comparison', 'builder.value': 'Value', 'builder.values': 'Values',
  'builder.from': 'From', 'builder.to': 'To', 'builder.yes': 'yes', 'builder.no': 'no',
  'builder.group.behaviour': 'Purchases and spend', 'builder.group.dates': 'Dates', 'builder.group.scores': 'RFM scores',
  'builder.group.labels': 'Segments and stages', 'builder.group.predicted': 'Predictions (BG/NBD, not in SQL)',
  'builder.save': 'Save', 'builder.saved': 'Saved segments', 'builder.load': 'Open', 'builder.delete': 'Delete',
  'builder.json': 'Rule JSON', 'builder.sql': 'SQL', 'builder.dialect': 'SQL dialect', 'builder.presets': 'Presets', 'builder.new': 'New',
  'builder.preview': 'First members', 'builder.previewColumns': 'Columns', 'builder.export': 'Export this audience',
  'builder.sqlHint': 'The same audience as one query over the tables {tables}, for a warehouse or Spark:',
  'builder.empty': 'Add a condition to start: the audience is empty until it has one.',
  'warehouse.title': 'SQL for your warehouse', 'warehouse.report': 'Report', 'warehouse.dialect': 'SQL dialect',
  'warehouse.hint': '{report}: the same table as this screen, with the options set here, as one query over the tables {tables}.',
  'warehouse.copy': 'Copy', 'warehouse.copied': 'Copied',
  'warehouse.copyFailed': 'Could not copy: the query is selected, press Ctrl+C (⌘C on a Mac).',
  'warehouse.error': 'No query for these options: {reason}',
  'columns.attributes': 'Member attributes', 'columns.computed': 'Computed', 'columns.lastPurchase': 'Last purchase',
  'columns.ofLastPurchase': '{name} (last purchase)',
  'export.empty': 'No audience yet: build one in the builder or pick an RFM segment.',
  'export.title': 'Export', 'export.segment': 'Audience', 'export.format': 'Format', 'export.columns': 'Columns',
  'export.splitBy': 'One file per', 'export.none': '—', 'export.profile': 'Ad platform', 'export.download': 'Download',
  'export.country': 'Default country',
  'export.kind': 'What to export', 'export.file': 'A file of members', 'export.ads': 'An ad-platform list (hashed)',
  'export.noSplit': 'one file', 'export.check': 'Check match keys', 'export.report': 'Match keys',
  'export.key': 'Key', 'export.keyColumn': '{key} ({column})', 'export.present': 'With a value', 'export.valid': 'Usable', 'export.hashed': 'Already hashed', 'export.invalid': 'Invalid', 'export.duplicates': 'Duplicates',
  'export.rowsOut': '{rows} rows in the file; {noKey} members without a usable key and {dups} duplicates left out.',
  'export.done': '{file}: {rows} rows, {size}', 'export.writing': 'Writing… {rows} rows',
  'export.library': 'Segment definitions', 'export.libraryHint': 'Rules only, no member data: share them with a colleague or another browser.',
  'export.libraryOut': 'Download saved segments', 'export.libraryIn': 'Import segments…', 'export.imported': 'Imported {n} segments.',
  'campaigns.title': 'Campaigns with a control group',
  'campaigns.intro': 'Hold out a random share of the audience (they are not contacted); after launch, what the contacted group buys beyond the held-out group is what the campaign added. The campaign file holds rules only, no member data: the same files give the same groups anywhere, SQL included.',
  'campaigns.plan': 'Plan a campaign', 'campaigns.empty': 'No audience yet: build one in the builder, then plan its campaign here.',
  'campaigns.audience': 'Audience: {name}, as it is on {date} (the day before launch).',
  'campaigns.name': 'Campaign name', 'campaigns.launch': 'Launch date', 'campaigns.window': 'Readout window (days)',
  'campaigns.holdout': 'Held out (%)', 'campaigns.holdoutRange': 'Share held out', 'campaigns.stratify': 'Balance the groups by',
  'campaigns.noStrata': 'nothing (one random split)', 'campaigns.memberColumns': 'Member attributes',
  'campaigns.salt': 'Salt', 'campaigns.saltHint': 'The salt seeds the split: the same salt and files give the same groups.',
  'campaigns.launchHint': 'The latest order is on {date}: launching the day after takes the audience as it is now.',
  'campaigns.mde': 'With {share} held out ({control} members), you can detect a lift of {mde} points in conversion (baseline {baseline}).',
  'campaigns.noMde': 'With {share} held out ({control} members), no lift in conversion can be promised to show: {why}',
  'campaigns.noMde.baseline': 'the audience\'s baseline conversion is {baseline}, so a test has nothing to compare against.',
  'campaigns.noMde.empty': 'a group is empty.',
  'campaigns.mdeHint': 'Smallest lift seen 80% of the time at 5% significance (two-sided) over a {days}-day window; baseline: the audience\'s conversion from {from} to {to}.',
  'campaigns.strata': 'The groups', 'campaigns.whole': 'Whole audience', 'campaigns.noValue': '(no value)', 'campaigns.total': 'Total',
  'campaigns.baselineConverters': 'Bought in the baseline window',
  'campaigns.mdeDash': '—: no minimum detectable effect where nobody, or everybody, bought in the baseline window (no variation to test against).',
  'campaigns.downloads': 'Downloads', 'campaigns.treatmentAs': 'Treatment list as', 'campaigns.files': 'A file of members', 'campaigns.adLists': 'An ad-platform list (hashed)',
  'campaigns.columns': 'Columns of the treatment list', 'campaigns.country': 'Default country',
  'campaigns.downloadTreatment': 'Download the treatment list', 'campaigns.downloadControl': 'Download the control list',
  'campaigns.downloadFile': 'Download the campaign file',
  'campaigns.downloadHint': 'Contact the treatment group only. Keep the campaign file: once the orders after launch are loaded, it reads out the lift.',
  'campaigns.saved': '{file}: {rows} rows', 'campaigns.savedFile': '{file} saved',
  'campaigns.badHoldout': 'The share held out must be between 1% and 50%.',
  'campaigns.badWindow': 'The readout window must be a whole number of days, at least 1.',
  'campaigns.badLaunch': 'Pick a launch date no later than {max}, the day after the latest order.',
  'campaigns.readout': 'Read out a campaign',
  'campaigns.readoutHint': 'Load the orders up to today on the Load screen (they must reach past the launch), then open the campaign file.',
  'campaigns.toLoad': 'Go to Load', 'campaigns.open': 'Open a campaign file…', 'campaigns.usePlan': 'Read out the campaign planned above',
  'campaigns.badFile': 'This is not a campaign file: {message}',
  'campaigns.readoutOf': '{name}: {share} held out, launched {launch}; window {from} – {to} ({days} days).',
  'campaigns.strataBy': 'Balanced by {what}.',
  'campaigns.observed': '{observed} of {days} days observed: the window is not over, the numbers will still change.',
  'campaigns.complete': 'All {days} days of the window are in the data.',
  'campaigns.notStarted': 'The orders loaded end before the launch: load the orders since {launch}.',
  'campaigns.group': 'Group',
  'campaigns.points': '{value} points', 'campaigns.pointsUnit': 'points', 'campaigns.interval': '95% interval {low} to {high}',
  'campaigns.against': '{treatment} against {control} in the control group',
  'campaigns.p': 'p = {p}', 'campaigns.pSmall': 'p < 0.001', 'campaigns.perMember': '{value} per member',
  'campaigns.verdict.up': 'The interval is above zero: a lift at 5% significance.',
  'campaigns.verdict.down': 'The interval is below zero: the treatment group did worse.',
  'campaigns.verdict.none': 'The interval includes zero: no lift shown (yet).',
  'campaigns.cumulative': 'Cumulative revenue per member, day by day since launch',
  'campaigns.cumulativeLift': 'Lift (95% interval)', 'campaigns.day': 'Days since launch', 'campaigns.dayN': 'Day {n}',
  'campaigns.strataReadout': 'By stratum', 'campaigns.liftInterval': '{diff} ({low} to {high})',
  'campaigns.arm.treatment': 'treatment', 'campaigns.arm.control': 'control',
  'campaigns.reason.tooFew': 'the {group} group has {n} members: too few for a lift',
  'campaigns.reason.noControlConverted': 'no control member converted: no relative lift',
  'campaigns.reason.noVariationConversion': 'every member of both groups converted, or none did: no test',
  'campaigns.reason.noControlRevenue': 'the control group\'s revenue per member is 0: no relative lift',
  'campaigns.reason.noVariationRevenue': 'no member\'s revenue differs from its group\'s: no test',
  'common.error': 'Something went wrong', 'common.loading': 'Working…', 'common.list': ', ',
};

/** @type {typeof en} */
const zh = {
  'app.title': 'audience-lab 会员分析',
  'app.privacy': '文件只在本浏览器内分析，客户数据不会上传任何服务器。',
  'app.offline': '可离线使用',
  'app.language': '语言',
  'app.badMaxMemory': 'max-memory="{value}" 不是有效的大小：请填写字节数（536870912），或数字加 MB、GB、MiB、GiB（512MB、1.5GB、512MiB、2GiB）。分析引擎未启动。',
  'keep.switch': '在此浏览器中保留数据',
  'keep.hint': '将已导入的数据表和当前界面状态保存在本浏览器的私有存储中，下次打开时无需重新导入文件。数据不会离开本浏览器。',
  'keep.kept': '已保留在此浏览器中：{tables} · {size}', 'keep.noTables': '尚无数据表',
  'keep.keeping': '正在保存到此浏览器…', 'keep.restoring': '正在从此浏览器恢复 {tables}…',
  'keep.forget': '忘记', 'keep.forgetHint': '删除此浏览器中保留的全部数据',
  'keep.forgotten': '已忘记：此浏览器中不再保留任何数据。',
  'keep.full': '此浏览器的存储空间不足，无法保留数据；未保存任何内容。',
  'keep.version': '此浏览器中保留的数据由其他版本的 audience-lab 保存，不会被读取：请重新导入文件，或将其忘记。',
  'keep.refused': '无法恢复此浏览器中保留的数据：请重新导入文件，或将其忘记。',
  'keep.failed': '无法在此浏览器中保留数据。',
  'nav.load': '导入', 'nav.overview': '概览', 'nav.rfm': 'RFM', 'nav.cohorts': '留存', 'nav.movement': '流转', 'nav.clv': '客户终身价值',
  'nav.tags': '标签', 'nav.builder': '人群圈选', 'nav.export': '导出', 'nav.campaigns': '营销活动',
  'nav.needsOrders': '请先导入订单文件',
  'load.title': '导入数据',
  'load.hint': '拖入 CRM 或店铺导出的会员表和订单表（CSV、Excel、Parquet、Arrow、NDJSON；UTF-8 或 GBK），或点击选择。',
  'load.itemsHint': '订单的商品明细（淘宝宝贝报表），按订单编号关联：可按标题、商家编码筛选购买。',
  'load.optional': '（可选）', 'load.choose': '选择文件', 'load.drop': '或拖到这里',
  'load.sample': '加载英文样例', 'load.sampleZh': '加载中文样例（GBK）', 'load.noExport': '手头没有数据？',
  'load.commit': '导入', 'load.cancel': '取消', 'load.loading': '正在导入 {name}…',
  'load.progress': '{done} / {total} MB · {rows} 行',
  'load.rows': '{name}：共 {in} 行，导入 {loaded} 行，拒绝 {rejected} 行',
  'load.columns': '{n} 列', 'load.encoding': '编码', 'load.delimiter': '分隔符',
  'load.autoEncoding': '自动识别', 'load.roleOf': '列「{name}」的角色', 'load.noRole': '无角色（作为属性）',
  'load.attribute': '属性', 'load.missing': '{kind}必需：请为{roles}选择对应列。',
  'load.by.mapping': '手动指定', 'load.by.header': '表头', 'load.by.values': '数据', 'load.foundBy': '识别依据：{how}',
  'load.platform': '识别为：{name}', 'load.by.platform': '平台列格式',
  'load.by.email': '按邮箱识别会员', 'load.by.phone': '按手机号识别会员', 'load.by.nickname': '按买家昵称识别会员',
  'load.row': '行', 'load.column': '列', 'load.value': '值', 'load.reason': '原因',
  'load.role': '角色', 'load.type': '读取为',
  'load.missingSample': '缺少样例文件 {file}：请运行 `make samples`。',
  'load.next': '查看概览',
  'lost.title': '分析引擎已停止：已导入的文件已失效',
  'lost.hint': '本页中运行的分析引擎已停止（例如浏览器拒绝为其分配更多内存），其中的数据已全部清空。数据没有离开本浏览器。',
  'lost.reason': '原因：', 'lost.table': '（{table}，{rows} 行）：', 'lost.notLoaded': '未导入',
  'lost.dropAgain': '——该文件是以字节数据传入的，并非文件：请将它重新拖到下方对应的卡片上。',
  'lost.reload': '重新导入', 'lost.reloadHint': '以相同设置重新导入这些文件。',
  'overview.title': '概览', 'overview.asOf': '截至 {date}', 'overview.members': '会员数',
  'overview.funnel': '生命周期', 'overview.timeline': '订单趋势', 'overview.revenue': '净销售额',
  'overview.rates': '近 {days} 天的会员流转', 'overview.ratesPeriod': '{from} – {to}，与之前 {days} 天相比',
  'overview.rate.reactivationRate': '沉睡唤醒率', 'overview.rate.churnInRate': '新增流失率', 'overview.rate.newToRepeatRate': '新客复购率',
  'overview.detail.reactivationRate': '{d} 位沉睡或流失会员中 {n} 位再次购买',
  'overview.detail.churnInRate': '{d} 位新客、活跃或沉睡会员中 {n} 位流失',
  'overview.detail.newToRepeatRate': '{d} 位首购会员中 {n} 位在另一天再次购买',
  'overview.change': '较之前 {days} 天 {delta} 个百分点（{previous}）', 'overview.noChange': '与之前 {days} 天持平（{previous}）',
  'overview.noPrevious': '数据不足以覆盖之前 {days} 天。',
  'overview.ratesUnavailable': '无法计算周期指标：{reason}',
  'overview.stageTrend': '各生命周期阶段会员数（按月）', 'overview.trendUnavailable': '无法计算阶段趋势：{reason}',
  'rfm.title': 'RFM 分群', 'rfm.asOf': '截至日期', 'rfm.method': '打分方式', 'rfm.map': '分群方案',
  'rfm.cuts': '{score}分界点', 'rfm.cutsHint': '四个递增的数，例如 {example}',
  'rfm.summary': '{buyers} 位购买会员，{prospects} 位未购买',
  'rfm.segment': '分群', 'rfm.members': '会员数', 'rfm.share': '占比', 'rfm.revenue': '销售额',
  'rfm.grid': '按最近购买（R，行）与购买频次（F，列）的会员分布',
  'rfm.open': '在人群圈选中打开「{segment}」',
  'cohorts.title': '同期群留存', 'cohorts.period': '周期', 'cohorts.by': '分组依据',
  'cohorts.show': '显示', 'cohorts.percent': '留存率', 'cohorts.counts': '活跃人数', 'cohorts.revenue': '销售额',
  'cohorts.cohort': '同期群', 'cohorts.size': '人数', 'cohorts.partial': '（未完结）', 'cohorts.curve': '各期平均留存率',
  'movement.title': '两个日期之间的会员流转', 'movement.period': '时间段',
  'movement.last30': '近 30 天', 'movement.last91': '近一季度（91 天）', 'movement.last365': '同比（365 天）', 'movement.custom': '自定义',
  'movement.from': '起始日', 'movement.to': '结束日', 'movement.by': '对比维度', 'movement.stage': '生命周期阶段', 'movement.segment': 'RFM 分群',
  'movement.notYet': '尚未入会', 'movement.total': '合计',
  'movement.matrix': '会员在{from}（行）与{to}（列）的状态',
  'movement.corner': '{from} ↓ · {to} →',
  'movement.flow': '从{from}到{to}的流向',
  'movement.summary': '共 {members} 位会员；其中 {moved} 位在{to}的状态与{from}不同',
  'movement.cell': '{from} → {to}：{members} 位会员，两个日期之间净销售额 {revenue}',
  'movement.hint': '点击数字即可在人群圈选中打开这群会员。',
  'movement.badDates': '请选择早于结束日的起始日，结束日不晚于 {asOf}。',
  'clv.title': '流失预测与客户终身价值（CLV）', 'clv.lastOrder': '最后一笔订单：{date}',
  'clv.calibration': '用于拟合的购买截至', 'clv.latest': '最后一笔订单',
  'clv.holdout90': '留出最近 90 天', 'clv.holdout180': '留出最近 180 天', 'clv.custom': '自定义',
  'clv.end': '校准期截止日', 'clv.model': '模型', 'clv.unit': '时间单位', 'clv.horizon': 'CLV 预测期（天）', 'clv.discount': '月折现率',
  'clv.model.bgnbd': 'BG/NBD：客户在复购后才可能流失', 'clv.model.mbgnbd': 'MBG/NBD：首次购买后也可能流失',
  'clv.name.bgnbd': 'BG/NBD', 'clv.name.mbgnbd': 'MBG/NBD',
  'clv.unit.days': '天', 'clv.unit.weeks': '周',
  'clv.badEnd': '请选择不晚于最后一笔订单（{last}）的校准期截止日。',
  'clv.badNumbers': '预测期须为不少于 1 的天数，月折现率须为不小于 0 的数（0.01 即每月 1%）。',
  'clv.customers': '客户数', 'clv.repeatCustomers': '复购客户数', 'clv.meanPAlive': '平均存活概率',
  'clv.expected90': '未来 90 天预计购买次数', 'clv.totalClv': '未来 {days} 天 CLV 合计',
  'clv.basis': '基于截至 {end} 的购买，以 {model} 模型拟合，时间单位为{unit}：共 {triples} 种不同的购买记录；客单价模型基于 {spend} 位复购客户。存活概率指客户仍会继续购买的概率。',
  'clv.atRisk': '值得挽回的流失风险客户', 'clv.atRiskHint': '在人群圈选中打开预设人群「{preset}」。',
  'clv.params': '拟合参数', 'clv.paramModel': '模型', 'clv.paramValues': '参数',
  'clv.row.bgnbd': 'BG/NBD', 'clv.row.mbgnbd': 'MBG/NBD', 'clv.row.gammaGamma': 'Gamma-Gamma（客单价）',
  'clv.inUse': '当前模型', 'clv.forCheck': '用于预测检验',
  'clv.histogram': '按存活概率的客户分布（{model}）', 'clv.members': '客户数',
  'clv.checkTitle': '预测检验', 'clv.checkPeriod': '{from} 至 {to}（{days} 天）的购买不参与拟合，用于检验',
  'clv.noHoldout': '如需用实际发生的购买检验预测，请以早于最后一笔订单（{last}）的日期作为校准期截止日：留出最近 90 天或 180 天，或自选更早的日期。',
  'clv.frequency': '校准期内复购次数', 'clv.customersCol': '客户数',
  'clv.perCustomer': '留出期内人均购买次数', 'clv.actual': '实际', 'clv.overall': '全部客户（购买总次数）',
  'clv.reading': '在留出的 {days} 天里，{customers} 位客户实际购买 {actual} 次；BG/NBD 预计 {bgnbd} 次（{bgnbdDelta}），MBG/NBD 预计 {mbgnbd} 次（{mbgnbdDelta}）。',
  'clv.chartTitle': '按校准期复购次数的留出期人均购买次数', 'clv.chartAxis': '人均购买次数',
  'clv.checkHint': '同一天的多笔购买算一次。各行：按截至校准期末的复购次数分组的客户（7+：7 次及以上）。',
  'tags.title': '标签', 'tags.tag': '标签', 'tags.members': '会员数', 'tags.share': '占比', 'tags.none': '已导入的会员没有标签。',
  'tags.overlap': '重合度（Jaccard）', 'tags.upset': '标签交集', 'tags.toRule': '圈选这群人',
  'tags.pick': '对比的标签', 'tags.show': '显示', 'tags.counts': '同时拥有的人数', 'tags.jaccard': 'Jaccard 系数',
  'tags.summary': '{members} 位会员中 {tagged} 位有标签', 'tags.none2': '不含这些标签', 'tags.only': '仅',
  'tags.upsetHint': '每一列：在所选标签中恰好拥有这些标签的会员。点击一列即可圈选这群人。',
  'builder.title': '人群圈选', 'builder.name': '名称', 'builder.count': '人数',
  'builder.addCondition': '+ 条件', 'builder.addGroup': '+ 条件组', 'builder.conditionType': '条件类型', 'builder.remove': '删除',
  'builder.addAt': '+ 截至某日…', 'builder.atDate': '指定日期', 'builder.atDaysAgo': '天前', 'builder.atWhen': '哪一天',
  'builder.column': '字段', 'builder.operator': '比较方式', 'builder.value': '值', 'builder.values': '取值',
  'builder.from': '从', 'builder.to': '到', 'builder.yes': '是', 'builder.no': '否',
  'builder.group.behaviour': '消费行为', 'builder.group.dates': '日期', 'builder.group.scores': 'RFM 评分',
  'builder.group.labels': '分群与阶段', 'builder.group.predicted': '预测（BG/NBD 模型，不生成 SQL）',
  'builder.save': '保存', 'builder.saved': '已保存的人群', 'builder.load': '打开', 'builder.delete': '删除',
  'builder.json': '规则 JSON', 'builder.sql': 'SQL', 'builder.dialect': 'SQL 方言', 'builder.presets': '预设人群', 'builder.new': '新建',
  'builder.preview': '会员预览', 'builder.previewColumns': '显示字段', 'builder.export': '导出这群人',
  'builder.sqlHint': '同一人群的 SQL（基于 {tables} 这几张表），可在数仓或 Spark 上运行：',
  'builder.empty': '添加一个条件开始圈选：没有条件时人群为空。',
  'warehouse.title': '数仓 SQL', 'warehouse.report': '报表', 'warehouse.dialect': 'SQL 方言',
  'warehouse.hint': '{report}：与本页相同的结果（按本页当前的选项），写成一条基于 {tables} 表的查询。',
  'warehouse.copy': '复制', 'warehouse.copied': '已复制',
  'warehouse.copyFailed': '无法自动复制：查询已选中，请按 Ctrl+C（Mac 上按 ⌘C）。',
  'warehouse.error': '无法按当前选项生成查询：{reason}',
  'columns.attributes': '会员属性', 'columns.computed': '计算指标', 'columns.lastPurchase': '最后一次购买',
  'columns.ofLastPurchase': '{name}（最后一次购买）',
  'export.empty': '还没有人群：请在人群圈选中创建，或在 RFM 中选择一个分群。',
  'export.title': '导出', 'export.segment': '人群', 'export.format': '格式', 'export.columns': '字段',
  'export.splitBy': '按此拆分文件', 'export.none': '—', 'export.profile': '广告平台', 'export.download': '下载',
  'export.country': '默认国家',
  'export.kind': '导出内容', 'export.file': '会员名单文件', 'export.ads': '广告平台人群包（哈希）',
  'export.noSplit': '不拆分', 'export.check': '检查匹配字段', 'export.report': '匹配字段质量',
  'export.key': '字段', 'export.keyColumn': '{key}（{column}）', 'export.present': '有值', 'export.valid': '可用', 'export.hashed': '已哈希', 'export.invalid': '无效', 'export.duplicates': '重复',
  'export.rowsOut': '文件共 {rows} 行；{noKey} 位会员没有可用的匹配字段、{dups} 个重复，未写入。',
  'export.done': '{file}：{rows} 行，{size}', 'export.writing': '正在写入… {rows} 行',
  'export.library': '人群规则', 'export.libraryHint': '只含规则，不含会员数据：可分享给同事或在其他浏览器中使用。',
  'export.libraryOut': '下载已保存的人群规则', 'export.libraryIn': '导入人群规则…', 'export.imported': '已导入 {n} 个人群。',
  'campaigns.title': '营销活动与对照组',
  'campaigns.intro': '从人群中随机留出一部分会员作为对照组（不触达）；活动上线后，触达组比对照组多出的购买，就是活动带来的增量。活动文件只含规则、不含会员数据：基于相同的文件，在任何地方（包括 SQL）都能得到相同的分组。',
  'campaigns.plan': '规划活动', 'campaigns.empty': '还没有人群：请先在人群圈选中创建，再在这里规划活动。',
  'campaigns.audience': '人群：{name}，以 {date}（上线前一天）的状态为准。',
  'campaigns.name': '活动名称', 'campaigns.launch': '上线日期', 'campaigns.window': '观察期（天）',
  'campaigns.holdout': '对照组占比（%）', 'campaigns.holdoutRange': '对照组占比', 'campaigns.stratify': '分层依据',
  'campaigns.noStrata': '不分层（整体随机）', 'campaigns.memberColumns': '会员属性',
  'campaigns.salt': '随机盐值', 'campaigns.saltHint': '盐值决定随机分组：相同的盐值和文件得到相同的分组。',
  'campaigns.launchHint': '最后一笔订单在 {date}：次日上线即以当前状态圈定人群。',
  'campaigns.mde': '留出 {share}（{control} 人）作为对照组时，可检测到的最小转化率提升为 {mde} 个百分点（基线转化率 {baseline}）。',
  'campaigns.noMde': '留出 {share}（{control} 人）作为对照组时，无法给出可检测的最小提升：{why}',
  'campaigns.noMde.baseline': '人群的基线转化率为 {baseline}，检验没有可比较的波动。',
  'campaigns.noMde.empty': '有一组没有会员。',
  'campaigns.mdeHint': '在 5% 显著性水平（双侧）下有 80% 把握检测到的最小提升，观察期 {days} 天；基线为人群在 {from} 至 {to} 的转化率。',
  'campaigns.strata': '分组情况', 'campaigns.whole': '全部人群', 'campaigns.noValue': '（无取值）', 'campaigns.total': '合计',
  'campaigns.baselineConverters': '基线期购买人数',
  'campaigns.mdeDash': '—：基线期内无人购买或全部购买的分层没有可检测的最小提升（没有可供检验的波动）。',
  'campaigns.downloads': '下载', 'campaigns.treatmentAs': '实验组名单格式', 'campaigns.files': '会员名单文件', 'campaigns.adLists': '广告平台人群包（哈希）',
  'campaigns.columns': '实验组名单字段', 'campaigns.country': '默认国家',
  'campaigns.downloadTreatment': '下载实验组名单', 'campaigns.downloadControl': '下载对照组名单',
  'campaigns.downloadFile': '下载活动文件',
  'campaigns.downloadHint': '只触达实验组。请保存活动文件：导入上线后的订单后，用它评估活动效果。',
  'campaigns.saved': '{file}：{rows} 行', 'campaigns.savedFile': '已保存 {file}',
  'campaigns.badHoldout': '对照组占比须在 1% 到 50% 之间。',
  'campaigns.badWindow': '观察期须为不少于 1 的整数天。',
  'campaigns.badLaunch': '上线日期不能晚于 {max}（最后一笔订单的次日）。',
  'campaigns.readout': '活动效果评估',
  'campaigns.readoutHint': '先在「导入」中导入截至今天的订单（须覆盖上线之后），再打开活动文件。',
  'campaigns.toLoad': '前往导入', 'campaigns.open': '打开活动文件…', 'campaigns.usePlan': '评估上方规划的活动',
  'campaigns.badFile': '这不是活动文件：{message}',
  'campaigns.readoutOf': '{name}：对照组占比 {share}，{launch} 上线；观察期 {from} 至 {to}（{days} 天）。',
  'campaigns.strataBy': '按{what}分层。',
  'campaigns.observed': '观察期 {days} 天中已有 {observed} 天的数据：观察期尚未结束，数字还会变化。',
  'campaigns.complete': '观察期 {days} 天的数据已全部导入。',
  'campaigns.notStarted': '已导入的订单在上线前就结束了：请导入 {launch} 以来的订单。',
  'campaigns.group': '组别',
  'campaigns.points': '{value} 个百分点', 'campaigns.pointsUnit': '百分点', 'campaigns.interval': '95% 区间 {low} 至 {high}',
  'campaigns.against': '实验组 {treatment}，对照组 {control}',
  'campaigns.p': 'p 值 {p}', 'campaigns.pSmall': 'p 值 < 0.001', 'campaigns.perMember': '人均 {value}',
  'campaigns.verdict.up': '区间在 0 以上：在 5% 显著性水平下存在提升。',
  'campaigns.verdict.down': '区间在 0 以下：实验组表现更差。',
  'campaigns.verdict.none': '区间包含 0：（暂）未显示出提升。',
  'campaigns.cumulative': '上线以来逐日累计的人均收入',
  'campaigns.cumulativeLift': '提升（95% 区间）', 'campaigns.day': '上线后天数', 'campaigns.dayN': '第 {n} 天',
  'campaigns.strataReadout': '分层结果', 'campaigns.liftInterval': '{diff}（{low} 至 {high}）',
  'campaigns.arm.treatment': '实验组', 'campaigns.arm.control': '对照组',
  'campaigns.reason.tooFew': '{group}只有 {n} 人：人数太少，无法计算提升',
  'campaigns.reason.noControlConverted': '对照组无人转化：无法计算相对提升',
  'campaigns.reason.noVariationConversion': '两组会员全部转化或全部未转化：无法检验',
  'campaigns.reason.noControlRevenue': '对照组人均收入为 0：无法计算相对提升',
  'campaigns.reason.noVariationRevenue': '各组会员的收入没有差异：无法检验',
  'common.error': '出错了', 'common.loading': '处理中…', 'common.list': '、',
};

const dictionaries = { en, zh };
const REMEMBERED = 'audience-lab.lang';

/**
 * The language of a BCP 47 tag (`zh`, `zh-CN`, `en-GB` …): Chinese for any `zh*`, else English.
 * @param {string} tag
 * @returns {Lang}
 */
export const langOf = (tag) => (tag.toLowerCase().startsWith('zh') ? 'zh' : 'en');

/** The language an element without a `lang` attribute starts in: the last one picked, else the browser's. */
export function defaultLang() {
  const saved = globalThis.localStorage?.getItem(REMEMBERED);
  if (saved === 'en' || saved === 'zh') return saved;
  return langOf(globalThis.navigator?.language ?? 'en');
}

/**
 * Keeps a language picked in a header for the next visit (elements with a `lang` attribute
 * keep theirs).
 * @param {Lang} lang
 */
export function rememberLang(lang) {
  globalThis.localStorage?.setItem(REMEMBERED, lang);
}

/**
 * The labels and formats of one language. The members are bound functions, so a view can
 * take the ones it uses: `const { t, num } = ctx.i18n`.
 */
export class I18n {
  /** @param {string} tag a language or BCP 47 tag */
  constructor(tag) {
    /** @type {Lang} */
    this.lang = langOf(tag);
    /** The locale for number and date formatting. */
    this.locale = this.lang === 'zh' ? 'zh-CN' : 'en-US';
  }

  /**
   * The label `key`, with `{name}` placeholders filled from `params`.
   * @param {Key} key
   * @param {Record<string, string | number>} [params]
   */
  t = (key, params = {}) => {
    const text = dictionaries[this.lang][key] ?? en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? `{${k}}`));
  };

  /** A whole number. */
  num = (/** @type {number} */ n) => n.toLocaleString(this.locale);

  /** A number with up to `d` decimals. */
  dec = (/** @type {number} */ n, d = 2) => n.toLocaleString(this.locale, { maximumFractionDigits: d });

  /** Money in currency units, two decimals. */
  money = (/** @type {number} */ n) =>
    n.toLocaleString(this.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  /** A share 0..1 as a percentage (null as a dash). */
  pct = (/** @type {number | null | undefined} */ x, digits = 1) =>
    x == null ? '—' : (x * 100).toLocaleString(this.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }) + '%';

  /** A `YYYY-MM-DD` date. */
  date = (/** @type {string} */ iso) => {
    const [y, m, d] = iso.split('-').map(Number);
    if (!y || !m || !d) return iso;
    return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(this.locale, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
  };

  /**
   * A label from the engine in this language: `label` / `labelZh` pairs.
   * @param {{ label?: string, labelZh?: string }} item
   * @param {string} fallback
   */
  labelOf = (item, fallback) => (this.lang === 'zh' ? item.labelZh : item.label) || item.label || fallback;
}
