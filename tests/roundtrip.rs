//! Property test: arbitrary member and order tables written by real writers (the csv crate,
//! rust_xlsxwriter, the parquet crate's ArrowWriter with every codec, Arrow IPC) load back
//! with identical values — ids with leading zeros, text with commas, quotes, line breaks and
//! Chinese, dates, exact cents and tag lists.

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{
    ArrayRef, Date32Array, Decimal128Array, Int64Array, RecordBatch, StringArray,
    TimestampSecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use audience_lab::dataset::{Attr, Dataset};
use audience_lab::load::{load, LoadOptions, Table, TableKind};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone)]
struct Member {
    id: String,
    name: Option<String>,
    join: Option<i32>,
    points: Option<i64>,
    tags: Vec<String>,
}

#[derive(Debug, Clone)]
struct Order {
    member: Option<usize>,
    day: i32,
    second: i32,
    cents: i64,
}

fn member() -> impl Strategy<Value = (Option<String>, Option<i32>, Option<i64>, Vec<String>)> {
    (
        // Text that must survive every format: quotes, delimiters, line breaks, CJK, emoji.
        proptest::option::of("n[a-z0-9 ,;|\"'\n会员标签😀]{0,12}[a-z会]"),
        proptest::option::of(0i32..60_000),
        proptest::option::of(-1_000_000i64..1_000_000),
        proptest::collection::btree_set("[A-Za-z敏感肌KOC]{1,6}", 0..4)
            .prop_map(|s| s.into_iter().collect()),
    )
}

fn tables() -> impl Strategy<Value = (Vec<Member>, Vec<Order>)> {
    proptest::collection::btree_set("0{0,2}[0-9A-Z]{1,8}", 1..30).prop_flat_map(|ids| {
        let ids: Vec<String> = ids.into_iter().collect();
        let n = ids.len();
        (
            Just(ids),
            proptest::collection::vec(member(), n),
            proptest::collection::vec(
                (
                    proptest::option::of(0..n),
                    0i32..40_000,
                    0i32..86_400,
                    -100_000_000i64..100_000_000,
                ),
                1..60,
            ),
        )
            .prop_map(|(ids, attrs, orders)| {
                let members = ids
                    .into_iter()
                    .zip(attrs)
                    .map(|(id, (name, join, points, tags))| Member {
                        id,
                        name,
                        join,
                        points,
                        tags,
                    })
                    .collect();
                let orders = orders
                    .into_iter()
                    .map(|(member, day, second, cents)| Order {
                        member,
                        day,
                        second,
                        cents,
                    })
                    .collect();
                (members, orders)
            })
    })
}

fn ymd(day: i32) -> String {
    (chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")
        + chrono::Duration::days(i64::from(day)))
    .format("%Y-%m-%d")
    .to_string()
}

fn cents_text(c: i64) -> String {
    format!(
        "{}{}.{:02}",
        if c < 0 { "-" } else { "" },
        c.unsigned_abs() / 100,
        c.unsigned_abs() % 100
    )
}

fn member_rows(members: &[Member]) -> Vec<Vec<String>> {
    members
        .iter()
        .map(|m| {
            vec![
                m.id.clone(),
                m.name.clone().unwrap_or_default(),
                m.join.map(ymd).unwrap_or_default(),
                m.points.map(|p| p.to_string()).unwrap_or_default(),
                m.tags.join("|"),
            ]
        })
        .collect()
}

fn order_rows(members: &[Member], orders: &[Order]) -> Vec<Vec<String>> {
    orders
        .iter()
        .map(|o| {
            vec![
                o.member.map(|m| members[m].id.clone()).unwrap_or_default(),
                format!(
                    "{} {:02}:{:02}:{:02}",
                    ymd(o.day),
                    o.second / 3600,
                    o.second / 60 % 60,
                    o.second % 60
                ),
                cents_text(o.cents),
            ]
        })
        .collect()
}

const MEMBER_HEADERS: [&str; 5] = ["member_id", "name", "join_date", "points", "tags"];
const ORDER_HEADERS: [&str; 3] = ["member_id", "order_time", "amount"];

fn csv(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers).expect("header");
    for r in rows {
        w.write_record(r).expect("row");
    }
    w.into_inner().expect("flush")
}

fn xlsx_members(members: &[Member]) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in MEMBER_HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    for (i, m) in members.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, &m.id).expect("id");
        if let Some(n) = &m.name {
            sheet.write_string(r, 1, n).expect("name");
        }
        if let Some(d) = m.join {
            let dt = ExcelDateTime::parse_from_str(&ymd(d)).expect("date");
            sheet
                .write_datetime_with_format(r, 2, &dt, &date)
                .expect("join");
        }
        if let Some(p) = m.points {
            sheet.write_number(r, 3, p as f64).expect("points");
        }
        sheet.write_string(r, 4, m.tags.join("|")).expect("tags");
    }
    book.save_to_buffer().expect("xlsx")
}

fn xlsx_orders(members: &[Member], orders: &[Order]) -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ORDER_HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    for (i, o) in orders.iter().enumerate() {
        let r = i as u32 + 1;
        if let Some(m) = o.member {
            sheet.write_string(r, 0, &members[m].id).expect("id");
        }
        // A plain number in a date column: an Excel serial date (days since 1899-12-30).
        let serial = f64::from(o.day) + 25_569.0 + f64::from(o.second) / 86_400.0;
        sheet.write_number(r, 1, serial).expect("time");
        sheet
            .write_number(r, 2, o.cents as f64 / 100.0)
            .expect("amount");
    }
    book.save_to_buffer().expect("xlsx")
}

fn member_batch(members: &[Member]) -> RecordBatch {
    let mut tags = ListBuilder::new(StringBuilder::new());
    for m in members {
        for t in &m.tags {
            tags.values().append_value(t);
        }
        tags.append(true);
    }
    let cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(
            members.iter().map(|m| m.id.clone()),
        )),
        Arc::new(StringArray::from(
            members.iter().map(|m| m.name.clone()).collect::<Vec<_>>(),
        )),
        Arc::new(Date32Array::from(
            members.iter().map(|m| m.join).collect::<Vec<_>>(),
        )),
        Arc::new(Int64Array::from(
            members.iter().map(|m| m.points).collect::<Vec<_>>(),
        )),
        Arc::new(tags.finish()),
    ];
    let fields: Vec<Field> = MEMBER_HEADERS
        .iter()
        .zip(&cols)
        .map(|(h, c)| Field::new(*h, c.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).expect("batch")
}

fn order_batch(members: &[Member], orders: &[Order]) -> RecordBatch {
    let ids: Vec<Option<String>> = orders
        .iter()
        .map(|o| o.member.map(|m| members[m].id.clone()))
        .collect();
    // Instants in UTC+8, as a Chinese shop's system stores them: the wall-clock day must win.
    let secs: Vec<i64> = orders
        .iter()
        .map(|o| i64::from(o.day) * 86_400 + i64::from(o.second) - 8 * 3600)
        .collect();
    let cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(ids)),
        Arc::new(TimestampSecondArray::from(secs).with_timezone("+08:00")),
        Arc::new(
            Decimal128Array::from_iter_values(orders.iter().map(|o| i128::from(o.cents) * 10))
                .with_precision_and_scale(20, 3)
                .expect("decimal"),
        ),
    ];
    let schema = Schema::new(vec![
        Field::new("member_id", DataType::Utf8, true),
        Field::new(
            "order_time",
            DataType::Timestamp(TimeUnit::Second, Some("+08:00".into())),
            true,
        ),
        Field::new("amount", DataType::Decimal128(20, 3), true),
    ]);
    RecordBatch::try_new(Arc::new(schema), cols).expect("batch")
}

fn parquet(batch: &RecordBatch, codec: parquet::basic::Compression) -> Vec<u8> {
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(codec)
        .build();
    let mut w = parquet::arrow::ArrowWriter::try_new(Vec::new(), batch.schema(), Some(props))
        .expect("writer");
    w.write(batch).expect("write");
    w.into_inner().expect("close")
}

fn ipc(batch: &RecordBatch) -> Vec<u8> {
    let mut w =
        arrow_ipc::writer::FileWriter::try_new(Vec::new(), &batch.schema()).expect("writer");
    w.write(batch).expect("write");
    w.finish().expect("finish");
    w.into_inner().expect("bytes")
}

fn loaded(kind: TableKind, bytes: &[u8], format: &str) -> Table {
    let t = load(kind, bytes, &LoadOptions::default(), &mut |_| {})
        .unwrap_or_else(|e| panic!("{format} {kind:?}: {e}"));
    assert_eq!(t.report.format, format);
    assert_eq!(
        t.report.rows_rejected, 0,
        "{format} {kind:?}: {:?}",
        t.report.samples
    );
    t
}

/// Checks that `ds` holds exactly `members` and `orders`.
fn check(ds: &Dataset, members: &[Member], orders: &[Order], format: &str) {
    let text = |name: &str, m: u32| match ds.attrs.get(name) {
        Some(Attr::Text(d)) => d.get(m as usize).map(str::to_string),
        other => panic!("{format}: {name} is {other:?}"),
    };
    for m in members {
        let i = ds
            .member(&m.id)
            .unwrap_or_else(|| panic!("{format}: member {:?} missing", m.id));
        assert_eq!(text("name", i), m.name, "{format}: name of {}", m.id);
        match ds.attrs.get("join_day") {
            Some(Attr::Date(d)) => assert_eq!(d[i as usize], m.join, "{format}: join of {}", m.id),
            None if members.iter().all(|m| m.join.is_none()) => {}
            other => panic!("{format}: join_day is {other:?}"),
        }
        match ds.attrs.get("points") {
            Some(Attr::Num(v)) => assert_eq!(
                v[i as usize],
                m.points.map(|p| p as f64),
                "{format}: points"
            ),
            Some(Attr::Text(d)) if members.iter().all(|m| m.points.is_none()) => {
                assert_eq!(d.get(i as usize), None)
            }
            other => panic!("{format}: points is {other:?}"),
        }
        let mut tags: Vec<&str> = ds
            .tags
            .iter()
            .filter(|(_, b)| b.contains(i))
            .map(|(t, _)| t.as_str())
            .collect();
        tags.sort();
        let mut want: Vec<&str> = m.tags.iter().map(String::as_str).collect();
        want.sort();
        assert_eq!(tags, want, "{format}: tags of {}", m.id);
    }
    let mut want: BTreeMap<&str, Vec<(i32, i64)>> = BTreeMap::new();
    for o in orders.iter().filter(|o| o.member.is_some()) {
        want.entry(&members[o.member.expect("member")].id)
            .or_default()
            .push((o.day, o.cents));
    }
    for (id, mut rows) in want {
        let i = ds.member(id).expect("member");
        let mut got: Vec<(i32, i64)> = ds
            .orders
            .range(i)
            .map(|r| (ds.orders.day[r], ds.orders.cents[r]))
            .collect();
        rows.sort();
        got.sort();
        assert_eq!(got, rows, "{format}: orders of {id}");
    }
    let guests: i64 = orders
        .iter()
        .filter(|o| o.member.is_none())
        .map(|o| o.cents)
        .sum();
    assert_eq!(
        ds.guests.cents.iter().sum::<i64>(),
        guests,
        "{format}: guest orders"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn tables_survive_every_format((members, orders) in tables(), codec in 0usize..6) {
        use parquet::basic::{BrotliLevel, Compression, GzipLevel, ZstdLevel};
        let codecs = [
            Compression::SNAPPY,
            Compression::GZIP(GzipLevel::default()),
            Compression::LZ4_RAW,
            Compression::ZSTD(ZstdLevel::default()),
            Compression::BROTLI(BrotliLevel::default()),
            Compression::UNCOMPRESSED,
        ];
        let files = [
            ("csv", csv(&MEMBER_HEADERS, &member_rows(&members)), csv(&ORDER_HEADERS, &order_rows(&members, &orders))),
            ("xlsx", xlsx_members(&members), xlsx_orders(&members, &orders)),
            ("parquet", parquet(&member_batch(&members), codecs[codec]), parquet(&order_batch(&members, &orders), codecs[codec])),
            ("arrow", ipc(&member_batch(&members)), ipc(&order_batch(&members, &orders))),
        ];
        for (format, m, o) in files {
            let m = loaded(TableKind::Members, &m, format);
            let o = loaded(TableKind::Orders, &o, format);
            let ds = Dataset::build(Some(&o), Some(&m), None, None).expect("dataset");
            check(&ds, &members, &orders, format);
        }
    }
}
