//! Every user-interface string, in Chinese and English, in one place.
//!
//! Policy texts (labels, quotes, notes) come from the policy data; this module holds only
//! the calculator's own words and the formatting of amounts, statuses and states.

use butie::format::{money, money_full};
use butie::report::{AmountKind, CondState, PolicyState, Status};
use butie::words::{self, Word};
use butie::{Lang, Text};
use rust_decimal::Decimal;

/// A fixed UI string in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr(pub &'static str, pub &'static str);

impl Tr {
    /// The string in `lang`.
    pub const fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.0,
            Lang::En => self.1,
        }
    }
}

/// A word of the core's vocabulary (`butie::words`), as a UI string.
pub const fn core(w: Word) -> Tr {
    Tr(w.zh, w.en)
}

/// The id of a language in stored inputs (`zh`, `en`).
pub fn lang_id(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// A language from its id; `None` for any other text.
pub fn lang_of(id: &str) -> Option<Lang> {
    match id {
        "zh" => Some(Lang::Zh),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The other language (for the switch).
pub fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    }
}

/// The `lang` attribute value.
pub fn html_lang(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    }
}

// ------------------------------------------------------------------ page and toolbar
pub const TITLE: Tr = Tr("butie 补贴计算器", "butie subsidy calculator");
pub const TAGLINE: Tr = Tr(
    "上海各区产业扶持政策：哪些条款适用、可得多少、依据哪一句原文。全部在本机计算，不上传任何信息。",
    "Shanghai district subsidy policies: which clauses apply, how much, and the sentence behind each figure. Everything is computed on this device; nothing is uploaded.",
);
pub const SKIP_TO_RESULTS: Tr = Tr("跳到结果", "Skip to results");
pub const TOOLBAR: Tr = Tr("工具栏", "Toolbar");
pub const SWITCH_LANG: Tr = Tr("English", "中文");
pub const SWITCH_LANG_LABEL: Tr = Tr("切换到英文", "Switch to Chinese");
pub const AMOUNTS_IN_FULL: Tr = Tr("金额显示到元", "Amounts in full yuan");
pub const PRINT: Tr = Tr("打印 / 存为 PDF", "Print / save as PDF");
pub const SHARE: Tr = Tr("生成分享链接", "Make a share link");
pub const SHARE_LINK_LABEL: Tr = Tr(
    "分享链接（企业信息只在 # 之后，不会发送到任何服务器）",
    "Share link (the profile is only after the #, never sent to a server)",
);
pub const COPY: Tr = Tr("复制", "Copy");
pub const COPIED: Tr = Tr("已复制", "Copied");
pub const COPY_FAILED: Tr = Tr(
    "无法自动复制，请手动复制",
    "Could not copy; copy it by hand",
);
pub const EXPORT_PROFILE: Tr = Tr("导出企业信息（JSON）", "Export profile (JSON)");
pub const IMPORT_PROFILE: Tr = Tr("导入企业信息（JSON）", "Import profile (JSON)");
pub const EXPORT_CSV: Tr = Tr("导出结果（CSV）", "Export results (CSV)");
pub const EXPORT_JSON: Tr = Tr("导出结果（JSON）", "Export results (JSON)");
pub const EXPORT_ICS: Tr = Tr("政策日历（.ics）", "Policy calendar (.ics)");
pub const RESET: Tr = Tr("清空重填", "Start over");
pub const RESET_DONE: Tr = Tr(
    "已清空所有输入（本机保存的输入也已清除）。可以撤销。",
    "Every input was cleared (also those saved on this device). You can undo this.",
);
pub const RESET_DONE_EMBEDDED: Tr = Tr(
    "已清空所有输入。可以撤销。",
    "Every input was cleared. You can undo this.",
);
pub const UNDO: Tr = Tr("撤销", "Undo");
pub const UNDONE: Tr = Tr(
    "已撤销：恢复为之前的输入。",
    "Undone: your previous inputs are back.",
);
pub const FILE_MENU: Tr = Tr("文件与分享", "File and sharing");
pub const SHARE_LOCAL_FILE: Tr = Tr(
    "本页是您电脑上的文件，无法作为链接分享。请导出企业信息（JSON）发给对方，对方用“导入企业信息”打开。",
    "This page is a file on your computer and cannot be shared as a link. Export the profile (JSON) and send it; the recipient opens it with “Import profile”.",
);
pub const SAVED_NOTE: Tr = Tr(
    "输入会自动保存在本浏览器中（仅本机）。",
    "Inputs are saved in this browser automatically (this device only).",
);
pub const DISMISS: Tr = Tr("关闭", "Dismiss");
pub const FOOTER: Tr = Tr(
    "本工具依据政策原文计算，仅供参考；实际金额以主管部门审核认定为准。",
    "Computed from the policy texts for guidance only; the authorities' review decides the actual amounts.",
);

// ------------------------------------------------------------------ views and consultant line
pub const VIEWS: Tr = Tr("功能", "Views");
pub const VIEW_CALCULATOR: Tr = Tr("单个企业测算", "One enterprise");
pub const VIEW_BATCH: Tr = Tr("批量评估客户名单", "Client list (batch)");
pub const VIEW_EMBED: Tr = Tr("嵌入到您的网站", "Embed on your site");
pub const CONTACT: Tr = Tr("联系方式", "Contact");

/// "由 张顾问 提供" / "Provided by 张顾问".
pub fn provided_by(name: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("由 {name} 提供"),
        Lang::En => format!("Provided by {name}"),
    }
}

// ------------------------------------------------------------------ batch
pub const BATCH_TITLE: Tr = Tr("批量评估客户名单", "Evaluate a client list");
pub const BATCH_INTRO: Tr = Tr(
    "上传客户名单（Excel、CSV 或 JSONL，与命令行 butie batch 的格式相同），逐个客户、逐区计算，可排序查看并下载结果（Excel 或 CSV）。文件只在本机读取和计算，不会上传。",
    "Upload a client list (Excel, CSV or JSONL, the format of the command line's butie batch): every client is evaluated for every district; sort the table and download the results (Excel or CSV). The file is read and evaluated on this device only; nothing is uploaded.",
);
pub const ERR_BATCH_AS_OF: Tr = Tr(
    "日期格式应为 YYYY-MM-DD，且为有效日期",
    "use a real date as YYYY-MM-DD",
);
pub const BATCH_CHOOSE: Tr = Tr(
    "选择文件（Excel / CSV / JSONL）",
    "Choose a file (Excel / CSV / JSONL)",
);
pub const BATCH_DROP: Tr = Tr("或把文件拖到此处", "or drop it here");
pub const BATCH_EXAMPLE: Tr = Tr("试用示例名单", "Try the example list");
pub const BATCH_EXAMPLE_DOWNLOAD: Tr = Tr("下载示例 CSV", "Download the example CSV");
pub const BATCH_EXAMPLE_DOWNLOAD_XLSX: Tr = Tr("下载示例 Excel", "Download the example workbook");
pub const BATCH_FORMAT_XLSX: Tr = Tr(
    "Excel（.xlsx）：读取第一个工作表，列与 CSV 相同；日期单元格按日期读取。",
    "Excel (.xlsx): the first worksheet is read, with the CSV's columns; date cells are read as dates.",
);
pub const BATCH_GB18030: Tr = Tr(
    "此文件按 GB18030（GBK）编码读取：这是中文 Windows 上 Excel 另存为普通“CSV”时使用的编码。",
    "This file was read as GB18030 (GBK) text, as Excel saves plain “CSV” on Chinese Windows.",
);
pub const BATCH_DOWNLOAD_XLSX: Tr = Tr("下载结果（Excel）", "Download the results (Excel)");
pub const BATCH_FORMAT: Tr = Tr("文件格式", "File format");
pub const BATCH_FORMAT_CSV: Tr = Tr(
    "CSV：第一行为表头。name 为客户名称，id 为您的编号（可选），其余每列是一个字段 id（不带分组，如 registered_district、cmmi_level）；项目写作 projects.1.kind、projects.1.actual_investment，游戏写作 game_products.1.licensed；没有项目时在 projects 列填“无”（空着表示未回答）。",
    "CSV: a header row. name is the client's name, id your reference (optional); every other column is a fact id without its group (registered_district, cmmi_level); list items as projects.1.kind, projects.1.actual_investment, game_products.1.licensed; write “none” in a projects column for a client with no projects (empty: not answered).",
);
pub const BATCH_FORMAT_CELLS: Tr = Tr(
    "单元格按表单的写法读取：是/否（true/false）、选项（putuo、3、三级）、金额以元为单位（2000000、2,000,000.50，或写明单位如 200万）、日期（2024-05-01、2024/5/1）、多个日期用分号分隔，“无”表示没有。空单元格表示未知（不是“否”或 0）。",
    "Cells are read as the form reads them: yes/no (true/false), options (putuo, 3, 三级), money in yuan (2000000, 2,000,000.50, or with a unit: 200万), dates (2024-05-01, 2024/5/1), date lists separated by ; with “none” for an empty list. An empty cell is unknown (never “no” or 0).",
);
pub const BATCH_FORMAT_JSONL: Tr = Tr(
    "JSONL：每行一个企业信息 JSON（与导出的企业信息相同），可加 \"id\"。有误的行单独报告，其余照常计算；文件本身有误（如未知列名）则整份不计算。",
    "JSONL: one profile JSON per line (as the profile export writes it), with an optional \"id\". A bad row is reported on its own and the rest are evaluated; a bad file (an unknown column, say) is refused as a whole.",
);
pub const BATCH_READING: Tr = Tr("正在读取文件…", "Reading the file…");
pub const BATCH_FAILED: Tr = Tr("文件无法使用：", "The file cannot be used: ");
pub const BATCH_DOWNLOAD: Tr = Tr("下载结果（CSV）", "Download the results (CSV)");
pub const BATCH_TABLE_CAPTION: Tr = Tr(
    "评估结果：每个客户、每个区一行",
    "Results: one line per client and district",
);
pub const COL_ROW: Tr = Tr("行", "Row");
pub const COL_CLIENT: Tr = Tr("客户", "Client");
pub const COL_DISTRICT: Tr = Tr("区", "District");
pub const COL_STATE: Tr = Tr("政策状态", "Policy");
pub const COL_IF_IN_FORCE: Tr = Tr("若有效（最高）", "If in force (up to)");
pub const BATCH_OPEN: Tr = Tr("在计算器中打开", "Open in the calculator");
pub const COL_TOTAL: Tr = Tr("客户合计（最高）", "Client total (up to)");
pub const BATCH_NOT_ENCODED: Tr = Tr(
    "注册区的政策尚未收录（可改用“比较全部区”）",
    "No policy of the registered district is encoded (compare all districts instead)",
);
pub const UNNAMED: Tr = Tr("（未命名）", "(unnamed)");
pub const NO_ROWS: Tr = Tr("文件中没有客户。", "The file holds no clients.");
pub const PREV: Tr = Tr("上一页", "Previous");
pub const NEXT: Tr = Tr("下一页", "Next");

/// 12345 → "12,345".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "已计算 3,000 / 10,000 个客户" / "3,000 of 10,000 clients evaluated".
pub fn batch_progress(done: usize, total: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已计算 {} / {} 个客户", thousands(done), thousands(total)),
        Lang::En => format!(
            "{} of {} clients evaluated",
            thousands(done),
            thousands(total)
        ),
    }
}

/// The line above a finished table: clients, bad rows, the table's lines (one per client and
/// district shown; the results CSV has a row per clause), the time taken.
pub fn batch_summary(
    clients: usize,
    bad: usize,
    lines: usize,
    millis: f64,
    file: &str,
    lang: Lang,
) -> String {
    // Integer arithmetic: formatting an f64 would pull core's float printer into the wasm.
    let centis = (millis.max(0.0) / 10.0).round() as u64;
    let seconds = format!("{}.{:02}", centis / 100, centis % 100);
    match lang {
        Lang::Zh => format!(
            "{file}：{} 个客户，其中 {} 行有误；表中 {} 行（每个客户每区一行）；用时 {seconds} 秒（本机计算）。",
            thousands(clients),
            thousands(bad),
            thousands(lines)
        ),
        Lang::En => format!(
            "{file}: {} clients, {} bad row(s); {} lines in the table (one per client and district); {seconds} s (computed on this device).",
            thousands(clients),
            thousands(bad),
            thousands(lines)
        ),
    }
}

/// The heading of the bad rows.
pub fn batch_errors_title(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{} 行无法读取，已跳过；其余客户均已计算：", thousands(n)),
        Lang::En => format!(
            "{} row(s) could not be read and were skipped; every other client was evaluated:",
            thousands(n)
        ),
    }
}

/// "还有 N 行有误" when the list is cut.
pub fn batch_more_errors(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("还有 {} 行有误，见结果 CSV 的 error 列。", thousands(n)),
        Lang::En => format!(
            "… and {} more; see the error column of the results CSV.",
            thousands(n)
        ),
    }
}

/// "第 5 行" / "Row 5".
pub fn row_number(row: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {row} 行"),
        Lang::En => format!("Row {row}"),
    }
}

/// A bad row's problems: "cmmi_level：无效选项…；annual_revenue：…".
pub fn row_problems(problems: &[(String, butie::Text)], lang: Lang) -> String {
    problems
        .iter()
        .map(|(path, message)| format!("{path}{}{}", colon(lang), message.get(lang)))
        .collect::<Vec<_>>()
        .join(semi(lang))
}

/// "第 1–100 行，共 39,688 行" / "Rows 1–100 of 39,688".
pub fn rows_range(from: usize, to: usize, total: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "第 {}–{} 行，共 {} 行",
            thousands(from),
            thousands(to),
            thousands(total)
        ),
        Lang::En => format!(
            "Rows {}–{} of {}",
            thousands(from),
            thousands(to),
            thousands(total)
        ),
    }
}

// ------------------------------------------------------------------ embed on your site
pub const EMBED_TITLE: Tr = Tr("嵌入到您的网站", "Embed on your site");
pub const EMBED_INTRO: Tr = Tr(
    "选择区、语言、颜色和您的联系方式，复制下面的代码粘贴到您的网页中。访客的信息只在其浏览器中计算，不会发送到您或任何服务器。",
    "Choose the districts, language, colours and your contact line, then paste the code below into your page. Visitors' inputs are computed in their browser and never sent to you or any server.",
);
pub const EMBED_KIND: Tr = Tr("嵌入方式", "How to embed");
pub const EMBED_SCRIPT: Tr = Tr("脚本（推荐）", "Script (recommended)");
pub const EMBED_IFRAME: Tr = Tr(
    "iframe（网站不允许脚本时）",
    "iframe (when the site strips scripts)",
);
pub const EMBED_PAGE: Tr = Tr(
    "本页面文件（只有 butie.html 时）",
    "This page file (when you only have butie.html)",
);
pub const EMBED_PAGE_HELP: Tr = Tr(
    "把您正在使用的 butie.html 原样上传到您的网站，再粘贴代码：页面以嵌入方式显示（不保存输入、不显示工具）。框的高度固定，内容在框内滚动。",
    "Upload the butie.html you are using, as it is, to your site and paste the code: the page shows as an embed (nothing stored, no tools). The frame keeps a fixed height and scrolls.",
);
pub const EMBED_SCRIPT_HELP: Tr = Tr(
    "一个脚本文件（内含计算引擎）加一个 <butie-calculator> 标签；可放多个，互不影响；结果变化时触发 butie-result 事件。",
    "One script file (the engine inside) and a <butie-calculator> tag; several on one page work independently; a butie-result event fires when the result changes.",
);
pub const EMBED_IFRAME_HELP: Tr = Tr(
    "iframe 会按内容自动调整高度（需要 butie-embed-host.js；若脚本被移除，则保持固定高度并可滚动）。",
    "The iframe takes its content's height (with butie-embed-host.js; if the script is stripped it keeps a fixed height and scrolls).",
);
pub const EMBED_DISTRICTS: Tr = Tr("显示的区", "Districts shown");
pub const EMBED_NO_DISTRICT: Tr = Tr(
    "未选择任何区：将显示全部区。",
    "None chosen: every district is shown.",
);
pub const EMBED_LANG: Tr = Tr("语言与布局", "Language and layout");
pub const EMBED_COMPACT: Tr = Tr(
    "紧凑布局（单栏、无说明文字）",
    "Compact (one column, no help texts)",
);
pub const EMBED_COLOURS: Tr = Tr("颜色", "Colours");
pub const EMBED_ACCENT: Tr = Tr("主题色", "Accent");
pub const EMBED_BACKGROUND: Tr = Tr("背景", "Background");
pub const EMBED_TEXT: Tr = Tr("文字", "Text");
pub const EMBED_DEFAULT_COLOURS: Tr = Tr("恢复默认颜色", "Default colours");
pub const EMBED_CONSULTANT: Tr = Tr("顾问名称（可选）", "Consultant's name (optional)");
pub const EMBED_CONTACT: Tr = Tr("联系方式（可选）", "Contact (optional)");
pub const EMBED_CONTACT_HELP: Tr = Tr(
    "电子邮箱、电话或 https 链接会显示为可点击的链接。",
    "An e-mail address, phone number or https link becomes a link.",
);
pub const EMBED_AS_OF: Tr = Tr("固定评估日期（可选）", "Fixed evaluation date (optional)");
pub const EMBED_AS_OF_HELP: Tr = Tr(
    "留空则按访客打开页面的当天计算。",
    "Leave empty for the day the visitor opens the page.",
);
pub const EMBED_BASE: Tr = Tr(
    "文件所在网址（可选）",
    "Where the files are hosted (optional)",
);
pub const EMBED_BASE_HELP: Tr = Tr(
    "留空表示与您的网页在同一目录。",
    "Empty: the same folder as your page.",
);
pub const EMBED_BAD_BASE: Tr = Tr(
    "网址不能包含空格、引号或尖括号。",
    "The address must not contain spaces, quotes or angle brackets.",
);
pub const EMBED_SNIPPET: Tr = Tr("粘贴到您网页中的代码", "The code for your page");
pub const EMBED_COPY_FALLBACK: Tr = Tr(
    "无法自动复制，代码已全选，请按 Ctrl+C（Mac：⌘C）。",
    "Could not copy automatically; the code is selected: press Ctrl+C (Mac: ⌘C).",
);
pub const EMBED_FILES: Tr = Tr(
    "需要的文件：脚本方式 butie-widget.js；iframe 方式 embed.html 和 butie-embed-host.js（均在 cargo xtask dist 生成的 dist/ 中）；只有本页面文件时，选“本页面文件”。说明见 docs/embedding.md。",
    "Files needed: for the script, butie-widget.js; for the iframe, embed.html and butie-embed-host.js (all in dist/, built by cargo xtask dist); with only this page file, choose “This page file”. See docs/embedding.md.",
);
pub const EMBED_PREVIEW: Tr = Tr("预览", "Preview");

// ------------------------------------------------------------------ settings
pub const SETTINGS: Tr = Tr("评估设置", "Evaluation");
pub const AS_OF: Tr = Tr("评估日期", "As of");
pub const AS_OF_HELP: Tr = Tr(
    "按此日期判断政策是否在施行期内（默认今天，上海时间）。",
    "Decides which policies are in force (default: today, Shanghai time).",
);
pub const TODAY: Tr = Tr("今天", "Today");
pub const MODE: Tr = Tr("评估方式", "Mode");
pub const MODE_REGISTERED: Tr = Tr("按工商注册区", "By registered district");
pub const MODE_COMPARE: Tr = Tr("比较全部区", "Compare all districts");
pub const MODE_COMPARE_HELP: Tr = Tr(
    "假设企业分别在各区注册，逐区计算。",
    "As if the enterprise were registered in each district in turn.",
);

// ------------------------------------------------------------------ form
pub const FORM: Tr = Tr("企业信息", "Enterprise profile");
pub const ASK_DISTRICT_FIRST: Tr = Tr(
    "先选择工商注册区：下面会按可能的金额从高到低，列出该区政策用到的信息。",
    "Choose the registered district first: the fields its policy reads are then listed, the most money first.",
);
pub const NOT_ENCODED_FORM: Tr = Tr(
    "本工具尚未收录该区的政策；可在“评估设置”中改为比较全部区。",
    "No policy of this district is encoded; compare all districts in the settings.",
);
pub const STAKE_GATE: Tr = Tr("每一条的前提", "needed by every clause");
pub const STAKE_NONE: Tr = Tr("金额未定", "amount not stated");
pub const ALL_ANSWERED: Tr = Tr(
    "影响金额的信息已全部填写。",
    "Everything that affects the amounts is answered.",
);
pub const REPORT_INFO: Tr = Tr("报告信息", "For the report");
pub const PROFILE_NAME: Tr = Tr(
    "企业名称（可选，仅用于报告）",
    "Enterprise name (optional, for the report)",
);
pub const NOT_GIVEN: Tr = Tr("未填写", "Not given");
pub const YES: Tr = Tr("是", "Yes");
pub const NO: Tr = Tr("否", "No");
pub const DATES_NONE: Tr = Tr("无", "None");
pub const DATES_SOME: Tr = Tr("有（填写日期）", "Yes (enter dates)");
pub const DATES_LIST: Tr = Tr("日期（多个用分号分隔）", "Dates (separate with ;)");
pub const DATE_PLACEHOLDER: &str = "YYYY-MM-DD";
pub const APPLICATION_PERIOD: Tr = Tr("申报期（可选）", "Application period (optional)");
pub const APPLICATION_PERIOD_HELP: Tr = Tr(
    "当年申报通知规定的起止日期，如 2026-03-01..2026-04-30。要求证书颁发日期在申报期内的条款（金山第六至八条）据此核对；未填写时，这些条款显示为需补充信息。",
    "The start and end dates in that year's call, e.g. 2026-03-01..2026-04-30. Clauses that need a certificate dated within it (Jinshan 第六–八条) are checked against it; left empty, they need information.",
);
pub const PERIOD_PLACEHOLDER: &str = "YYYY-MM-DD..YYYY-MM-DD";
pub const ADD_ITEM: Tr = Tr("添加", "Add a");
pub const REMOVE_ITEM: Tr = Tr("删除", "Remove");
pub const MAX_ITEMS: Tr = Tr("已达上限", "Limit reached");
pub const UNIT_WAN: Tr = Tr("万元", "×10,000 CNY");
pub const UNIT_YUAN: Tr = Tr("元", "CNY");
pub const MONEY_UNIT: Tr = Tr("金额单位", "Money unit");
pub const MONEY_UNIT_WAN: Tr = Tr("按万元填写", "Enter in 万元 (10,000 yuan)");
pub const MONEY_UNIT_YUAN: Tr = Tr("按元填写", "Enter in yuan");
pub const REQUIRED: Tr = Tr("必填", "required");

// ------------------------------------------------------------------ field errors of the form
pub const ERR_DATES_EMPTY: Tr = Tr(
    "请填写日期（YYYY-MM-DD），或选择“无”",
    "enter the dates (YYYY-MM-DD), or choose “None”",
);
pub const TODAY_MEANWHILE: Tr = Tr("暂按今天计算", "today is used meanwhile");
pub const ERRORS_SUMMARY: Tr = Tr(
    "个字段有误，按“未填写”处理，其余结果照常显示。",
    "field(s) have errors and count as not given; the other results stay as they are.",
);

// ------------------------------------------------------------------ results
pub const RESULTS: Tr = Tr("结果", "Results");
pub const SEE_RESULTS: Tr = Tr("查看结果 ↓", "See the results ↓");
pub const AVAILABLE_NOW: Tr = Tr(
    "当前可申请合计（仅计施行中的政策）",
    "Available now (policies in force only)",
);
pub const DEFINITE: Tr = core(words::DEFINITE);
pub const UP_TO: Tr = core(words::UP_TO);
pub const FORMULA_BASED: Tr = core(words::FORMULA_BASED);
pub const DISCRETIONARY: Tr = core(words::DISCRETIONARY);
pub const LEGEND: Tr = Tr("金额怎么读", "How to read the amounts");
pub const OF_WHICH: Tr = Tr("其中", "of which");
pub const QUESTIONS: Tr = Tr("可能还能申请", "You may also qualify for");
pub const QUESTIONS_HELP: Tr = Tr(
    "回答这些问题，可能还有更多金额：",
    "Answer these and more money may open up:",
);
pub const NOT_COUNTED: Tr = Tr("不计入当前可得", "not counted in what is available now");
pub const AS_OF_LINE: Tr = Tr("评估日期", "As of");
pub const APPLICATION_PERIOD_LINE: Tr = Tr("申报期", "Application period");
pub const MODE_LINE_REGISTERED: Tr = Tr("按工商注册区评估", "Evaluated by registered district");
pub const MODE_LINE_COMPARE: Tr = Tr(
    "比较模式：假设在各区注册",
    "Comparison: as if registered in each district",
);
pub const PICK_DISTRICT: Tr = Tr(
    "请先选择工商注册区（“企业基本情况”中），或改用“比较全部区”。注册区未知时，各区只显示概况。",
    "Choose the registered district (under Enterprise), or compare all districts. Until then each district shows a summary only.",
);
pub const NO_POLICY_FOR: Tr = Tr(
    "本工具尚未收录该区的政策。可改用“比较全部区”查看已收录各区的结果：",
    "No policy of this district is encoded yet. Compare all districts to see the ones that are:",
);
pub const SHOW_COMPARE: Tr = Tr("比较全部区", "Compare all districts");
pub const OTHER_DISTRICTS: Tr = Tr(
    "其他已收录的区（按注册地不适用）",
    "Other districts encoded (not applicable by registration)",
);
pub const WINDOW: Tr = Tr("施行期", "Effective period");
pub const NO_WINDOW: Tr = Tr("草案，未定施行日期", "Draft: no effective date");
pub const DRAFT_NO_DOC_NO: Tr = Tr("（无文号）", "(no document number)");
pub const APPLICANT: Tr = Tr(
    "申报主体条件（本区各条款共用）",
    "Applicant conditions (all clauses of this district)",
);
pub const ALL_CLAUSES: Tr = Tr("全部条款", "All clauses");
pub const NOT_ELIGIBLE_CLAUSES: Tr = Tr("不符合的条款", "Clauses not met");
pub const SHOW: Tr = Tr("展开", "Show");
pub const HIDE: Tr = Tr("收起", "Hide");
pub const CONDITIONS: Tr = Tr("条件", "Conditions");
pub const NO_CONDITIONS: Tr = Tr("本条款无其他条件。", "No further conditions.");
pub const ARITHMETIC: Tr = Tr("计算过程", "Arithmetic");
pub const ITEMS: Tr = Tr("逐项结果", "Per item");
pub const SUPERSEDED_BY: Tr = Tr(
    "从高不重复：按另一条款计",
    "Paid once, under another clause:",
);
pub const SCHEDULE: Tr = Tr("拨付安排", "Payment schedule");
pub const SCHEDULE_UNSPLIT: Tr = Tr("比例未规定", "split not stated");
pub const CITATION: Tr = Tr("政策原文", "Policy text");
pub const INTERPRETATION: Tr = Tr("解读", "Reading");
pub const READINGS: Tr = Tr("另一读法（不计入金额）", "Other readings (never counted)");
pub const NOTES: Tr = Tr("说明", "Notes");
pub const HINTS: Tr = Tr("还可以争取", "Could unlock more");
/// After the state's hypothetical word: "施行后，还可以争取" / "Once in force, could unlock more".
pub const HINTS_IF: Tr = Tr("，还可以争取", ", could unlock more");
pub const MISSING: Tr = Tr("请补充：", "Please add:");
pub const ERROR_POLICIES: Tr = Tr("政策数据无法载入：", "The policy data could not be loaded:");
pub const ERROR_EVALUATE: Tr = Tr("计算出错：", "The evaluation failed:");

// ------------------------------------------------------------------ print
pub const PRINT_REPORT: Tr = Tr("补贴测算报告", "Subsidy eligibility report");
pub const PRINT_PROFILE: Tr = Tr("企业信息（所填内容）", "Profile (as entered)");
pub const PRINT_POLICIES: Tr = Tr("政策版本", "Policy versions");
pub const PRINT_ENGINE: Tr = Tr("计算引擎", "Engine");
pub const PRINTED_ON: Tr = Tr("打印日期", "Printed on");
pub const PRINT_NOTHING: Tr = Tr("（未填写任何信息）", "(nothing entered)");

// ------------------------------------------------------------------ notices
pub const PROFILE_LOADED: Tr = Tr("已载入这份企业信息。", "The profile was loaded.");
pub const SHARE_LOADED: Tr = Tr(
    "已从分享链接载入企业信息。",
    "The profile was loaded from the share link.",
);
pub const SHARE_CORRUPT: Tr = Tr(
    "分享链接已损坏，无法读取企业信息（保留了您原来的输入）：",
    "The share link is damaged and its profile could not be read (your previous inputs are kept):",
);
pub const SHARE_PARTIAL: Tr = Tr(
    "这份企业信息中有字段无法读取，已忽略：",
    "Some fields of this profile could not be read and were ignored:",
);
pub const IMPORT_DONE: Tr = Tr("已导入企业信息。", "Profile imported.");
pub const IMPORT_FAILED: Tr = Tr("导入失败：", "Import failed:");
pub const IMPORT_PARTIAL: Tr = Tr(
    "导入的文件中有字段无法读取，已忽略：",
    "Some fields of the imported file could not be read and were ignored:",
);
pub const STORAGE_PARTIAL: Tr = Tr(
    "本机保存的输入有几项无法读取，已跳过，其余已恢复（原数据已备份）：",
    "Some saved inputs could not be read and were skipped; the rest is back (the original is backed up):",
);
pub const PREVIEW_TITLE: Tr = Tr("待载入的企业信息", "A profile to open");
pub const PREVIEW_TEXT: Tr = Tr(
    "这份企业信息（来自分享链接或客户名单）尚未载入；您的输入没有被替换。请选择：",
    "This profile (from a shared link or a client list) is not loaded yet; your inputs were not replaced. Choose:",
);
pub const PREVIEW_LOAD: Tr = Tr(
    "载入这份信息（可撤销）",
    "Load this profile (can be undone)",
);
pub const PREVIEW_KEEP: Tr = Tr("保留我的输入", "Keep mine");
pub const PREVIEW_SAVE_AS: Tr = Tr("另存为客户档案", "Save as another client profile");
pub const SHARED_PROFILE: Tr = Tr("分享的企业信息", "Shared profile");
pub const UNNAMED_CLIENT: Tr = Tr("未命名客户", "Unnamed client");
pub const CLIENTS_MENU: Tr = Tr("客户档案", "Client profiles");
pub const CLIENT_CURRENT: Tr = Tr("正在编辑的档案", "Profile being edited");
pub const CLIENT_UNSAVED: Tr = Tr(
    "（当前输入，未存为档案）",
    "(current inputs, not saved as a profile)",
);
pub const CLIENT_NAME: Tr = Tr("档案名称", "Profile name");
pub const CLIENT_SAVE: Tr = Tr("存为新档案", "Save as a new profile");
pub const CLIENT_RENAME: Tr = Tr("重命名", "Rename");
pub const CLIENT_DELETE: Tr = Tr("删除此档案", "Delete this profile");
pub const CLIENT_DELETE_CONFIRM: Tr = Tr(
    "确认删除（表单中的输入保留）",
    "Confirm (the form keeps its inputs)",
);
pub const CLIENTS_EXPORT: Tr = Tr("导出全部档案（JSONL）", "Export all profiles (JSONL)");
pub const CLIENTS_IMPORT: Tr = Tr("导入档案（JSONL）", "Import profiles (JSONL)");
pub const CLIENTS_NOTE: Tr = Tr(
    "档案只存在本浏览器。导出的 JSONL 每行一家企业，可直接用于批量评估。",
    "Kept in this browser only. The exported JSONL (one enterprise a line) works as a client list for the batch.",
);
pub const CLIENTS_IMPORTED: Tr = Tr("已导入客户档案。", "Client profiles imported.");
pub const CLIENTS_IMPORT_PARTIAL: Tr = Tr(
    "已导入客户档案；以下内容无法读取，已跳过：",
    "Client profiles imported; what follows could not be read and was skipped:",
);
pub const EXPORT_FAILED: Tr = Tr("导出失败：", "Export failed:");
pub const BAD_BASE64: Tr = Tr("编码无效", "not valid base64url");
pub const BAD_UTF8: Tr = Tr("内容不是 UTF-8 文本", "not UTF-8 text");
pub const BAD_JSON: Tr = Tr("不是有效的 JSON", "not valid JSON");
pub const NO_PROFILE: Tr = Tr("链接中没有企业信息", "the link holds no profile");
pub const NOT_A_PROFILE: Tr = Tr("不是企业信息（profile）JSON", "not a profile JSON");

/// A colon: "：" / ": ".
pub fn colon(lang: Lang) -> &'static str {
    Tr("：", ": ").get(lang)
}

/// Words in parentheses: "（…）" / " (…)".
pub fn paren(inner: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（{inner}）"),
        Lang::En => format!(" ({inner})"),
    }
}

/// The separator of a list of names: "、" / ", ".
pub fn list_sep(lang: Lang) -> &'static str {
    Tr("、", ", ").get(lang)
}

/// The separator of a list of clauses: "；" / "; ".
pub fn semi(lang: Lang) -> &'static str {
    Tr("；", "; ").get(lang)
}

/// A status badge text (the core's vocabulary).
pub fn status(s: Status, lang: Lang) -> &'static str {
    s.word().get(lang)
}

/// A CSS class for a status.
pub fn status_class(s: Status) -> &'static str {
    match s {
        Status::Eligible => "st-eligible",
        Status::EligibleSubjectToReview => "st-review",
        Status::NeedsInformation => "st-info",
        Status::NotEligible => "st-no",
        Status::PolicyNotInForce => "st-off",
    }
}

/// The machine name of a status (CSV, JSON, test hooks).
pub fn status_id(s: Status) -> &'static str {
    s.id()
}

/// A policy state badge text (the core's vocabulary).
pub fn policy_state(s: PolicyState, lang: Lang) -> &'static str {
    s.word().get(lang)
}

/// The machine name of a policy state.
pub fn policy_state_id(s: PolicyState) -> &'static str {
    s.id()
}

/// A CSS class for a policy state.
pub fn policy_state_class(s: PolicyState) -> &'static str {
    match s {
        PolicyState::InForce => "ps-in-force",
        PolicyState::NotYetInForce => "ps-not-yet",
        PolicyState::Expired | PolicyState::Superseded => "ps-expired",
        PolicyState::Draft => "ps-draft",
    }
}

/// A condition state word (the core's vocabulary).
pub fn cond_state(s: CondState, lang: Lang) -> &'static str {
    s.word().get(lang)
}

/// A condition state's symbol (also announced through the word).
pub fn cond_icon(s: CondState) -> &'static str {
    match s {
        CondState::Met => "✓",
        CondState::Unmet => "✗",
        CondState::Unknown => "?",
        CondState::OnReview => "◐",
    }
}

/// A CSS class for a condition state.
pub fn cond_class(s: CondState) -> &'static str {
    match s {
        CondState::Met => "c-met",
        CondState::Unmet => "c-unmet",
        CondState::Unknown => "c-unknown",
        CondState::OnReview => "c-review",
    }
}

/// Money, short (万元) or in full yuan.
pub fn money_in(d: Decimal, lang: Lang, full: bool) -> String {
    if full {
        money_full(d, lang)
    } else {
        money(d, lang)
    }
}

/// An amount: "30万元", "最高 100万元" / "up to CNY 1,000,000", "未定额", "—" (the core's words).
pub fn amount(kind: AmountKind, value: Option<Decimal>, lang: Lang, full: bool) -> String {
    let figure = value.map(|v| money_in(v, lang, full));
    words::amount_text(kind, figure.as_deref(), lang)
}

/// "项目 1" / "Project 1".
pub fn item_name(item_label: &str, index: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{item_label} {}", index + 1),
        // ASCII casing: the English labels are ASCII, and Unicode case tables cost 20 KiB of wasm.
        Lang::En => {
            let mut name = format!("{item_label} {}", index + 1);
            if let Some(first) = name.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            name
        }
    }
}

/// "还有 3 项会影响金额" / "3 more answers affect the amounts".
pub fn remaining(n: usize, lang: Lang) -> String {
    match (lang, n) {
        (_, 0) => ALL_ANSWERED.get(lang).to_string(),
        (Lang::Zh, n) => format!("还有 {n} 项会影响金额"),
        (Lang::En, 1) => "1 more answer affects the amounts".to_string(),
        (Lang::En, n) => format!("{n} more answers affect the amounts"),
    }
}

/// The heading of the fields a district reads: "普陀区的政策用到的信息（按金额从高到低）".
pub fn ranked_title(districts: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{districts}的政策用到的信息（按金额从高到低）"),
        Lang::En => format!("What the policy of {districts} reads (the most money first)"),
    }
}

/// "其他信息（12，不影响普陀区的金额）" / "Other fields (12; they do not change …)";
/// with no district: "全部信息（60）".
pub fn other_fields(n: usize, districts: Option<&str>, lang: Lang) -> String {
    match (lang, districts) {
        (Lang::Zh, Some(d)) => format!("其他信息（{n}，不影响{d}的金额）"),
        (Lang::Zh, None) => format!("全部信息（{n}）"),
        (Lang::En, Some(d)) => format!("Other fields ({n}; they do not change the amounts of {d})"),
        (Lang::En, None) => format!("All fields ({n})"),
    }
}

/// What a share link holds: "甲公司 · 普陀区 · 12 项信息 · 最高 220万元".
pub fn preview_summary(
    name: &str,
    district: &str,
    answered: usize,
    up_to: &str,
    lang: Lang,
) -> String {
    let name = if name.is_empty() {
        SHARED_PROFILE.get(lang)
    } else {
        name
    };
    let mut parts = vec![name.to_string()];
    if !district.is_empty() {
        parts.push(district.to_string());
    }
    parts.push(match lang {
        Lang::Zh => format!("{answered} 项信息"),
        Lang::En => format!("{answered} answers"),
    });
    if !up_to.is_empty() {
        parts.push(format!("{} {up_to}", UP_TO.get(lang)));
    }
    parts.join(" · ")
}

/// "已另存为客户档案“甲公司”…".
pub fn saved_as_client(name: &str) -> Text {
    Text::new(
        format!("已另存为客户档案“{name}”；表单中仍是您原来的输入，可在“客户档案”中切换。"),
        format!(
            "Saved as the client profile “{name}”; the form still holds your own inputs (switch under “Client profiles”)."
        ),
    )
}

/// The number of field errors, as a sentence start.
pub fn error_count(n: usize, lang: Lang) -> String {
    format!("{n} {}", ERRORS_SUMMARY.get(lang))
}

/// A window "2025-01-01 至 2026-12-31".
pub fn window(from: &str, to: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{from} 至 {to}"),
        Lang::En => format!("{from} to {to}"),
    }
}

// ------------------------------------------------------------------ policy packs
pub const VIEW_PACKS: Tr = Tr("政策包", "Policy packs");
pub const PACKS_FROM: Tr = Tr("来自政策包", "From the policy pack");
pub const PACKS_REPLACED: Tr = Tr(
    "替换了本站内置的同名文件",
    "replacing this site's built-in document of the same id",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_summary_shows_seconds_to_the_hundredth() {
        let en = batch_summary(10_000, 3, 39_691, 390.4, "c.csv", Lang::En);
        assert!(en.contains("10,000 clients"), "{en}");
        assert!(en.contains("0.39 s"), "{en}");
        assert!(batch_summary(1, 0, 4, 1_005.0, "c", Lang::En).contains("1.01 s"));
        assert!(batch_summary(1, 0, 4, 12.0, "c", Lang::Zh).contains("0.01 秒"));
        assert!(batch_summary(1, 0, 4, -3.0, "c", Lang::Zh).contains("0.00 秒"));
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(39_688), "39,688");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn amounts_read_the_chinese_way() {
        let v = Some(Decimal::from(1_000_000));
        assert_eq!(amount(AmountKind::UpTo, v, Lang::Zh, false), "最高 100万元");
        assert_eq!(
            amount(
                AmountKind::Definite,
                Some(Decimal::from(300_000)),
                Lang::Zh,
                false
            ),
            "30万元"
        );
        assert_eq!(
            amount(AmountKind::UpTo, v, Lang::En, false),
            "up to CNY 1,000,000"
        );
        assert_eq!(
            amount(AmountKind::UpTo, v, Lang::Zh, true),
            "最高 1,000,000.00元"
        );
        assert_eq!(amount(AmountKind::None, None, Lang::Zh, false), "—");
    }
}
