//! Tables as CSV text, for the API's downloads and the pilot pages' alike (no HTTP here).
//!
//! Two dialects: RFC 4180 (`,` between fields, `.` in numbers) for programs, and one for
//! spreadsheet software in a Finnish (or Swedish-in-Finland) locale, which reads `,` as the
//! decimal separator and so expects `;` between fields, and which takes a file without a
//! byte order mark for the legacy code page. Both end lines with CRLF and quote a field
//! only when it holds the separator, a quote or a line break (quotes doubled).

use super::{Cell, Table};

/// How a table is written as CSV.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dialect {
    /// RFC 4180: `,` separators, `.` decimals, no BOM.
    #[default]
    Rfc4180,
    /// For spreadsheets in a Finnish locale: `;` separators, decimal commas, a UTF-8 BOM.
    Fi,
}

impl Dialect {
    pub const ALL: [Dialect; 2] = [Dialect::Rfc4180, Dialect::Fi];

    /// The name a request gives it: `rfc4180` or `fi`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Rfc4180 => "rfc4180",
            Dialect::Fi => "fi",
        }
    }

    pub fn parse(s: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.as_str() == s)
    }

    fn separator(self) -> char {
        match self {
            Dialect::Rfc4180 => ',',
            Dialect::Fi => ';',
        }
    }

    fn number(self, x: f64) -> String {
        let text = x.to_string();
        match self {
            Dialect::Rfc4180 => text,
            Dialect::Fi => text.replace('.', ","),
        }
    }
}

/// Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return at
/// the start) gets a leading apostrophe. Only free text is touched; numbers are written as
/// numbers, negative ones included.
fn defused(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn line<S: AsRef<str>>(out: &mut String, dialect: Dialect, fields: impl IntoIterator<Item = S>) {
    let separator = dialect.separator();
    for (i, f) in fields.into_iter().enumerate() {
        let f = f.as_ref();
        if i > 0 {
            out.push(separator);
        }
        if f.contains([separator, '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}

/// The table as CSV text: a header line, then one line per row; empty cells stay empty (a
/// withheld figure shows no value).
pub fn render(table: &Table, dialect: Dialect) -> String {
    let mut out = String::new();
    if dialect == Dialect::Fi {
        out.push('\u{feff}');
    }
    line(&mut out, dialect, &table.header);
    for row in &table.rows {
        let fields = row.iter().map(|cell| match cell {
            Cell::Empty => String::new(),
            Cell::Count(n) => n.to_string(),
            Cell::Number(x) => dialect.number(*x),
            Cell::Text(t) => defused(t),
        });
        line(&mut out, dialect, fields);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            header: vec!["name".into(), "n".into(), "x".into(), "reason".into()],
            rows: vec![
                vec![Cell::Text("plain".into()), Cell::Count(3), Cell::Number(-0.5), Cell::Empty],
                vec![
                    Cell::Text("a, \"b\"; c\r\nd".into()),
                    Cell::Empty,
                    Cell::Number(0.25),
                    Cell::Text("=SUM(A1)".into()),
                ],
            ],
        }
    }

    #[test]
    fn rfc4180_quotes_only_what_needs_it() {
        assert_eq!(
            render(&table(), Dialect::Rfc4180),
            "name,n,x,reason\r\nplain,3,-0.5,\r\n\"a, \"\"b\"\"; c\r\nd\",,0.25,'=SUM(A1)\r\n"
        );
        let mut t = table();
        t.rows[0][2] = Cell::Number(0.1 + 0.2);
        assert!(render(&t, Dialect::Rfc4180).contains(",0.30000000000000004,"));
    }

    #[test]
    fn the_finnish_dialect_has_a_bom_semicolons_and_decimal_commas() {
        assert_eq!(
            render(&table(), Dialect::Fi),
            "\u{feff}name;n;x;reason\r\nplain;3;-0,5;\r\n\"a, \"\"b\"\"; c\r\nd\";;0,25;'=SUM(A1)\r\n"
        );
    }

    /// What a CSV reader makes of both: the same fields, text unchanged.
    #[test]
    fn a_csv_reader_reads_both_back() {
        for (dialect, separator, x) in [(Dialect::Rfc4180, b',', "0.25"), (Dialect::Fi, b';', "0,25")] {
            let text = render(&table(), dialect);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let mut reader = csv::ReaderBuilder::new().delimiter(separator).from_reader(text.as_bytes());
            assert_eq!(reader.headers().unwrap(), vec!["name", "n", "x", "reason"]);
            let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
            assert_eq!(rows.len(), 2);
            assert_eq!(&rows[1][0], "a, \"b\"; c\r\nd");
            assert_eq!((&rows[1][2], &rows[1][3]), (x, "'=SUM(A1)"));
            assert_eq!(&rows[0][3], "");
        }
    }

    #[test]
    fn dialects_by_name() {
        assert_eq!(Dialect::parse("fi"), Some(Dialect::Fi));
        assert_eq!(Dialect::parse("rfc4180"), Some(Dialect::Rfc4180));
        assert_eq!(Dialect::parse("excel"), None);
        assert_eq!(Dialect::default(), Dialect::Rfc4180);
    }
}
