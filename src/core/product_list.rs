//! The inventory screen's product table: every product (inactive ones too) with its stock,
//! filtered and sorted in memory. Each column's order is computed once (off the window's
//! thread when the list is prepared there) and then kept up to date row by row, so a click on
//! a column head only switches orders; each keystroke of the filter is one linear pass over
//! pre-folded text, fast enough for 300k products.

use crate::core::fold::{fold, matches_all_words_across};
use crate::core::money::Money;
pub use crate::core::shared_text::{Interner, SharedText};
use crate::core::vat::VatRate;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// One product as the inventory table lists it. Price and VAT rate are those in force when the
/// table was read; a product with none yet (all scheduled) shows none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRow {
    pub product_id: i64,
    /// SKU, first barcode and name.
    pub texts: RowTexts,
    pub producer: SharedText,
    pub ocop_group: SharedText,
    pub stars: Option<u8>,
    pub unit: SharedText,
    pub price: Option<Money>,
    pub vat: Option<VatRate>,
    pub stock: Decimal,
    /// At or below this the product is low on stock (0: never).
    pub low_stock: Decimal,
    pub active: bool,
}

/// A row's SKU, first barcode (the in-store one for products without a maker's) and name in
/// one allocation: three small strings cost three, each with the allocator's overhead and a
/// 24-byte handle (at 300k rows, tens of megabytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowTexts {
    text: Box<str>,
    sku_end: u32,
    barcode_end: u32,
}

impl RowTexts {
    pub fn new(sku: &str, barcode: &str, name: &str) -> RowTexts {
        let end = |bytes: usize| u32::try_from(bytes).expect("a product's texts under 4 GB");
        RowTexts {
            text: [sku, barcode, name].concat().into_boxed_str(),
            sku_end: end(sku.len()),
            barcode_end: end(sku.len() + barcode.len()),
        }
    }

    pub fn sku(&self) -> &str {
        &self.text[..self.sku_end as usize]
    }

    pub fn barcode(&self) -> &str {
        &self.text[self.sku_end as usize..self.barcode_end as usize]
    }

    pub fn name(&self) -> &str {
        &self.text[self.barcode_end as usize..]
    }
}

impl ProductRow {
    pub fn sku(&self) -> &str {
        self.texts.sku()
    }

    pub fn barcode(&self) -> &str {
        self.texts.barcode()
    }

    pub fn name(&self) -> &str {
        self.texts.name()
    }

    /// The row holding the copies `shared` keeps of its producer, group and unit.
    pub fn interned(mut self, shared: &mut Interner) -> ProductRow {
        self.producer = shared.intern(&self.producer);
        self.ocop_group = shared.intern(&self.ocop_group);
        self.unit = shared.intern(&self.unit);
        self
    }

    /// True when the product is at or under its threshold (a threshold of 0 is "never").
    pub fn is_low(&self) -> bool {
        self.low_stock > Decimal::ZERO && self.stock <= self.low_stock
    }
}

/// The table's columns, each sortable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Sku,
    Barcode,
    Name,
    Producer,
    Group,
    Stars,
    Unit,
    Price,
    Vat,
    Stock,
    Status,
}

impl Column {
    pub const ALL: [Column; 11] = [
        Column::Sku,
        Column::Barcode,
        Column::Name,
        Column::Producer,
        Column::Group,
        Column::Stars,
        Column::Unit,
        Column::Price,
        Column::Vat,
        Column::Stock,
        Column::Status,
    ];

    /// The text of a column sorted as people read it, without accents ("Đ" with the D's).
    fn folded_text(self) -> Option<fn(&ProductRow) -> &str> {
        match self {
            Column::Name => Some(ProductRow::name),
            Column::Producer => Some(|row| &row.producer),
            Column::Group => Some(|row| &row.ocop_group),
            _ => None,
        }
    }

    /// How two rows compare in this column alone (text columns folded).
    fn compare(self, a: &ProductRow, b: &ProductRow) -> Ordering {
        match self {
            Column::Sku => a.sku().cmp(b.sku()),
            Column::Barcode => a.barcode().cmp(b.barcode()),
            Column::Name | Column::Producer | Column::Group => {
                let text = self.folded_text().expect("a text column");
                fold(text(a)).cmp(&fold(text(b)))
            }
            Column::Stars => a.stars.cmp(&b.stars),
            Column::Unit => a.unit.cmp(&b.unit),
            Column::Price => a.price.cmp(&b.price),
            Column::Vat => a.vat.cmp(&b.vat),
            Column::Stock => a.stock.cmp(&b.stock),
            Column::Status => b.active.cmp(&a.active),
        }
    }

    /// How two rows compare in this column's ascending order: the column, then the SKU (unique,
    /// so no two rows are ever equal).
    fn order(self, a: &ProductRow, b: &ProductRow) -> Ordering {
        self.compare(a, b).then_with(|| a.sku().cmp(b.sku()))
    }
}

/// A sort: the column, and whether from the largest down. Descending is the ascending order
/// read from its end (rows equal in the column then come by SKU from the largest down too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Sort {
        Sort {
            column: Column::Sku,
            descending: false,
        }
    }
}

/// What the table is narrowed to. Inactive products are left out unless asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words to find in SKU, barcode, name or producer, with or without accents.
    pub text: String,
    pub producer: Option<String>,
    pub group: Option<String>,
    pub stars: Option<u8>,
    pub low_stock_only: bool,
    pub include_inactive: bool,
}

/// Whether every row `filter` lets through, `before` lets through too: each of its
/// conditions as strict or stricter, and each word of `before` inside a word of `filter`.
fn narrows(filter: &Filter, before: &Filter) -> bool {
    fn same_or_chosen<T: PartialEq>(now: &Option<T>, then: &Option<T>) -> bool {
        then.is_none() || now == then
    }
    let (words, words_before) = (fold(&filter.text), fold(&before.text));
    (before.include_inactive || !filter.include_inactive)
        && (filter.low_stock_only || !before.low_stock_only)
        && same_or_chosen(&filter.stars, &before.stars)
        && same_or_chosen(&filter.producer, &before.producer)
        && same_or_chosen(&filter.group, &before.group)
        && words_before
            .split_whitespace()
            .all(|before| words.split_whitespace().any(|word| word.contains(before)))
}

/// Whether so many of `rows` changed at once (an import, a long day of sales caught up with)
/// that sorting the current order anew is cheaper than mending every order kept.
fn resorted(changed: usize, rows: usize) -> bool {
    changed > 64 && changed > rows / 8
}

/// The products, their folded names and producers to search, and the orders sorted by so far.
#[derive(Debug, Clone)]
pub struct ProductList {
    rows: Vec<ProductRow>,
    /// Where each product is in `rows`.
    positions: HashMap<i64, u32>,
    folded: FoldedTexts,
    sort: Sort,
    /// Each column sorted by so far (the current one always), ascending: positions into
    /// `rows`, kept up to date as rows change.
    orders: HashMap<Column, Vec<u32>>,
    /// The distinct producers and groups, for the filter lists.
    producers: Vec<String>,
    groups: Vec<String>,
    /// The one copy of each producer, group and unit the rows hold.
    interner: Interner,
}

/// Every row's folded search text in one buffer: one allocation instead of one a row (at
/// 300k rows, megabytes of allocator overhead), read in order by a filter's pass. A row
/// changed gets its new text at the end; the old one is left unused until half the buffer
/// is, then the buffer is written anew.
#[derive(Debug, Clone, Default)]
struct FoldedTexts {
    buffer: String,
    /// Each row's text: its start in `buffer` and its length.
    spans: Vec<(u32, u32)>,
    /// Bytes of `buffer` no row's text uses any more.
    unused: usize,
}

impl FoldedTexts {
    fn get(&self, position: usize) -> &str {
        let (start, length) = self.spans[position];
        &self.buffer[start as usize..(start + length) as usize]
    }

    fn push(&mut self, text: &str) {
        let span = self.append(text);
        self.spans.push(span);
    }

    fn replace(&mut self, position: usize, text: &str) {
        self.unused += self.spans[position].1 as usize;
        self.spans[position] = self.append(text);
        if self.unused > self.buffer.len() / 2 {
            let mut fresh = FoldedTexts {
                buffer: String::with_capacity(self.buffer.len() - self.unused),
                spans: Vec::with_capacity(self.spans.len()),
                unused: 0,
            };
            for position in 0..self.spans.len() {
                fresh.push(self.get(position));
            }
            *self = fresh;
        }
    }

    /// Drops a row's text; the last row's takes its place.
    fn swap_remove(&mut self, position: usize) {
        self.unused += self.spans.swap_remove(position).1 as usize;
    }

    fn append(&mut self, text: &str) -> (u32, u32) {
        let offset = |bytes: usize| u32::try_from(bytes).expect("search text under 4 GB");
        let start = offset(self.buffer.len());
        self.buffer.push_str(text);
        (start, offset(text.len()))
    }
}

/// What a row is found by besides its SKU and barcode (matched as they are, without a folded
/// copy: 22 bytes a row): its name and producer, folded.
fn search_text(row: &ProductRow) -> String {
    fold(&format!("{} {}", row.name(), row.producer))
}

/// Adds `value` to a list kept in order without accents, unless it is there already.
fn insert_distinct(values: &mut Vec<String>, value: &str) {
    if !values.iter().any(|known| known == value) {
        let key = fold(value);
        let at = values.partition_point(|known| fold(known) < key);
        values.insert(at, value.to_string());
    }
}

/// A row taken out of the list: the last row took its place, so positions held elsewhere
/// (the rows shown, the low-stock list) drop `removed` and read `removed` for `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub removed: usize,
    /// Where the row now at `removed` was (`removed` itself when the last row went).
    pub from: usize,
}

impl Removed {
    /// Mends a list of positions, keeping its order.
    pub fn mend(self, positions: &mut Vec<usize>) {
        positions.retain(|&position| position != self.removed);
        for position in positions.iter_mut().filter(|p| **p == self.from) {
            *position = self.removed;
        }
    }
}

/// A position as the orders keep it (half the memory of a `usize`; 4 billion products).
fn compact(position: usize) -> u32 {
    u32::try_from(position).expect("fewer than 4 billion products")
}

impl ProductList {
    /// The rows, listed by SKU until another sort is asked for.
    pub fn new(rows: Vec<ProductRow>) -> ProductList {
        let mut interner = Interner::default();
        let rows: Vec<ProductRow> = rows
            .into_iter()
            .map(|row| row.interned(&mut interner))
            .collect();
        let mut folded = FoldedTexts::default();
        for row in &rows {
            folded.push(&search_text(row));
        }
        let positions = rows
            .iter()
            .enumerate()
            .map(|(position, row)| (row.product_id, compact(position)))
            .collect();
        let distinct = |field: fn(&ProductRow) -> &str| {
            let unique: HashSet<&str> = rows.iter().map(field).collect();
            let mut values: Vec<String> = unique.into_iter().map(String::from).collect();
            values.sort_by_cached_key(|value| fold(value));
            values
        };
        let producers = distinct(|row| &row.producer);
        let groups = distinct(|row| &row.ocop_group);
        let mut list = ProductList {
            rows,
            positions,
            folded,
            sort: Sort::default(),
            orders: HashMap::new(),
            producers,
            groups,
            interner,
        };
        list.ensure_order(Column::Sku);
        list
    }

    /// Sorts by every column not sorted by yet, so that no later click waits for a sort: for
    /// a list being prepared away from the window's thread.
    pub fn sort_every_column(&mut self) {
        for column in Column::ALL {
            self.ensure_order(column);
        }
    }

    pub fn rows(&self) -> &[ProductRow] {
        &self.rows
    }

    pub fn row(&self, position: usize) -> &ProductRow {
        &self.rows[position]
    }

    /// The position of a product in `rows`.
    pub fn position_of(&self, product_id: i64) -> Option<usize> {
        self.positions
            .get(&product_id)
            .map(|&position| position as usize)
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    /// Orders the list by `sort`: a column sorted by before only switches orders.
    pub fn set_sort(&mut self, sort: Sort) {
        self.ensure_order(sort.column);
        self.sort = sort;
    }

    /// Sorts by `column` unless it was sorted by before (its order is then up to date).
    fn ensure_order(&mut self, column: Column) {
        if self.orders.contains_key(&column) {
            return;
        }
        let rows = &self.rows;
        let mut order: Vec<u32> = (0..rows.len()).map(compact).collect();
        let by_sku = |a: &u32, b: &u32| rows[*a as usize].sku().cmp(rows[*b as usize].sku());
        // SKUs are unique: no two rows compare equal, so an unstable sort is as good.
        match column.folded_text() {
            // Folded once per row for the sort, not once per comparison; then dropped.
            Some(text) => {
                // In one buffer: a `String` a row would leave its allocations' high-water
                // mark in the resident memory (tens of megabytes at 300k rows).
                let mut keys = FoldedTexts::default();
                for row in rows {
                    keys.push(&fold(text(row)));
                }
                order.sort_unstable_by(|a, b| {
                    keys.get(*a as usize)
                        .cmp(keys.get(*b as usize))
                        .then_with(|| by_sku(a, b))
                });
            }
            None => order.sort_unstable_by(|a, b| {
                column
                    .compare(&rows[*a as usize], &rows[*b as usize])
                    .then_with(|| by_sku(a, b))
            }),
        }
        self.orders.insert(column, order);
    }

    /// How the rows at two positions compare in the current sort.
    pub fn compare_positions(&self, a: usize, b: usize) -> Ordering {
        let ascending = self.sort.column.order(&self.rows[a], &self.rows[b]);
        if self.sort.descending {
            ascending.reverse()
        } else {
            ascending
        }
    }

    /// Whether the filter lets the row at `position` through.
    pub fn passes(&self, filter: &Filter, position: usize) -> bool {
        let query = fold(&filter.text);
        self.passes_folded(filter, query.trim(), position)
    }

    fn passes_folded(&self, filter: &Filter, query: &str, position: usize) -> bool {
        let row = &self.rows[position];
        (filter.include_inactive || row.active)
            && (!filter.low_stock_only || row.is_low())
            && filter.stars.is_none_or(|stars| row.stars == Some(stars))
            && filter
                .producer
                .as_ref()
                .is_none_or(|producer| row.producer == *producer)
            && filter
                .group
                .as_ref()
                .is_none_or(|group| row.ocop_group == *group)
            && (query.is_empty()
                || matches_all_words_across(
                    self.folded.get(position),
                    &[row.sku(), row.barcode()],
                    query,
                ))
    }

    /// Positions (into `rows`) of the rows the filter lets through, in the current sort order.
    /// The filter runs over the rows as they lie in memory (not in the order's jumps), then the
    /// order keeps those it let through.
    pub fn select(&self, filter: &Filter) -> Vec<usize> {
        let query = fold(&filter.text);
        let query = query.trim();
        let passing: Vec<bool> = (0..self.rows.len())
            .map(|position| self.passes_folded(filter, query, position))
            .collect();
        let order = &self.orders[&self.sort.column];
        let positions = order.iter().map(|&position| position as usize);
        let passing = |position: &usize| passing[*position];
        if self.sort.descending {
            positions.rev().filter(passing).collect()
        } else {
            positions.filter(passing).collect()
        }
    }

    /// What [`ProductList::select`] gives for `filter`, from `shown`, what it gave for
    /// `before` (the same rows and sort since): when `filter` only narrows `before` (a letter
    /// typed at the end of a word, a box ticked), the rows shown are filtered again instead of
    /// the whole catalogue.
    pub fn reselect(&self, filter: &Filter, before: &Filter, mut shown: Vec<usize>) -> Vec<usize> {
        if !narrows(filter, before) {
            return self.select(filter);
        }
        let query = fold(&filter.text);
        let query = query.trim();
        shown.retain(|&position| self.passes_folded(filter, query, position));
        shown
    }

    /// Whether so many rows changed that the list is better read whole again than row by
    /// row (and sorted anew rather than mended).
    pub fn many(&self, changed: usize) -> bool {
        resorted(changed, self.rows.len())
    }

    /// Puts rows read again in place of the products' old ones (a product not listed yet is
    /// added): a change costs the rows it touched, not a read of the whole catalogue. In each
    /// order kept the changed rows are taken out and merged back where a binary search puts
    /// them; when a large part of the list changed, the current order is sorted anew and the
    /// others forgotten. Returns the positions changed or added.
    pub fn replace_rows(&mut self, rows: Vec<ProductRow>) -> Vec<usize> {
        let mut changed = Vec::with_capacity(rows.len());
        for row in rows {
            let row = row.interned(&mut self.interner);
            insert_distinct(&mut self.producers, &row.producer);
            insert_distinct(&mut self.groups, &row.ocop_group);
            let folded = search_text(&row);
            let position = match self.position_of(row.product_id) {
                Some(position) => {
                    self.rows[position] = row;
                    self.folded.replace(position, &folded);
                    position
                }
                None => {
                    let position = self.rows.len();
                    self.positions.insert(row.product_id, compact(position));
                    self.rows.push(row);
                    self.folded.push(&folded);
                    position
                }
            };
            changed.push(position);
        }
        if changed.is_empty() {
            return changed;
        }
        let mut moved: Vec<u32> = changed.iter().copied().map(compact).collect();
        moved.sort_unstable();
        moved.dedup();
        if resorted(moved.len(), self.rows.len()) {
            let current = self.sort.column;
            self.orders.clear();
            self.ensure_order(current);
            return changed;
        }
        // Mended in place, with no list of the whole catalogue's size allocated: a save's
        // megabytes of short-lived buffers are what the allocator keeps resident afterwards.
        let by_position = moved.clone();
        let rows = &self.rows;
        for (&column, order) in &mut self.orders {
            let ordered = |a: &u32, b: &u32| column.order(&rows[*a as usize], &rows[*b as usize]);
            order.retain(|position| by_position.binary_search(position).is_err());
            moved.sort_unstable_by(ordered);
            // From the last row moved down: the rows of `order` after it shift right by the
            // number of moved rows still to come before them, and it goes just before those.
            let mut end = order.len();
            order.resize(end + moved.len(), 0);
            for (before, row) in moved.iter().enumerate().rev() {
                let at = order[..end].partition_point(|other| ordered(other, row).is_lt());
                order.copy_within(at..end, at + before + 1);
                order[at + before] = *row;
                end = at;
            }
        }
        changed
    }

    /// Takes a deleted product's row out (none if not listed): the last row moves into its
    /// place and every order kept is mended, a pass each, with no sort and no read.
    pub fn remove(&mut self, product_id: i64) -> Option<Removed> {
        let removed = self.positions.remove(&product_id)? as usize;
        let from = self.rows.len() - 1;
        let row = self.rows.swap_remove(removed);
        self.folded.swap_remove(removed);
        if removed != from {
            self.positions
                .insert(self.rows[removed].product_id, compact(removed));
        }
        let (gone, last) = (compact(removed), compact(from));
        for order in self.orders.values_mut() {
            order.retain(|&position| position != gone);
            for position in order.iter_mut().filter(|p| **p == last) {
                *position = gone;
            }
        }
        if !self.rows.iter().any(|other| other.producer == row.producer) {
            self.producers.retain(|name| *name != *row.producer);
        }
        if !self
            .rows
            .iter()
            .any(|other| other.ocop_group == row.ocop_group)
        {
            self.groups.retain(|name| *name != *row.ocop_group);
        }
        Some(Removed { removed, from })
    }

    /// The products of a producer.
    pub fn products_of(&self, producer: &str) -> Vec<i64> {
        self.rows
            .iter()
            .filter(|row| row.producer == producer)
            .map(|row| row.product_id)
            .collect()
    }

    /// Drops from the producers and groups listed those no row names any more (after a
    /// rename).
    pub fn forget_unused_names(&mut self) {
        let producers: HashSet<&str> = self.rows.iter().map(|row| &*row.producer).collect();
        let groups: HashSet<&str> = self.rows.iter().map(|row| &*row.ocop_group).collect();
        self.producers
            .retain(|name| producers.contains(name.as_str()));
        self.groups.retain(|name| groups.contains(name.as_str()));
    }

    /// The distinct producers, by name without accents.
    pub fn producers(&self) -> &[String] {
        &self.producers
    }

    /// The distinct OCOP groups, by name without accents.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Rows replaced (renamed, restocked, new), one by one or many at once, keep every
        /// order sorted by so far exactly as a sort from scratch gives it, whatever the columns
        /// and directions.
        #[test]
        fn replaced_rows_keep_every_order_as_a_full_sort_gives(
            names in proptest::collection::vec("[a-dĐđ]{1,3}", 2..100),
            changes in proptest::collection::vec(
                proptest::collection::vec((0usize..104, "[a-dĐđ]{1,3}", 0i64..5, "[xy]?"), 1..3),
                1..8,
            ),
            sorted_before in proptest::collection::vec(0usize..Column::ALL.len(), 0..4),
            column in 0usize..Column::ALL.len(),
            descending: bool,
            bulk: bool,
        ) {
            let row = |id: usize, name: &str, stock: i64, sku_suffix: &str| ProductRow {
                product_id: id as i64,
                texts: RowTexts::new(&format!("S{id:02}{sku_suffix}"), "", name),
                producer: "HTX".into(),
                ocop_group: "G".into(),
                stars: None,
                unit: "chai".into(),
                price: None,
                vat: None,
                stock: Decimal::from(stock),
                low_stock: Decimal::ZERO,
                active: true,
            };
            let mut list = ProductList::new(
                names.iter().enumerate().map(|(id, name)| row(id, name, 1, "")).collect(),
            );
            for earlier in sorted_before {
                list.set_sort(Sort { column: Column::ALL[earlier], descending: false });
            }
            let sort = Sort { column: Column::ALL[column], descending };
            list.set_sort(sort);
            for batch in changes {
                let mut rows: Vec<ProductRow> = batch
                    .iter()
                    .map(|(id, name, stock, suffix)| row(*id, name, *stock, suffix))
                    .collect();
                if bulk {
                    // Every row read again: past 64, enough to sort anew instead of mending.
                    let again: Vec<ProductRow> = list
                        .rows()
                        .iter()
                        .filter(|old| rows.iter().all(|new| new.product_id != old.product_id))
                        .cloned()
                        .collect();
                    rows.extend(again);
                }
                list.replace_rows(rows);
            }
            let mut fresh = ProductList::new(list.rows().to_vec());
            let skus = |list: &ProductList| -> Vec<String> {
                list.select(&Filter::default()).into_iter().map(|p| list.row(p).sku().to_string()).collect()
            };
            for column in Column::ALL {
                for descending in [false, true] {
                    let sort = Sort { column, descending };
                    list.set_sort(sort);
                    fresh.set_sort(sort);
                    proptest::prop_assert_eq!(skus(&list), skus(&fresh), "{:?}", sort);
                }
            }
        }
    }

    proptest::proptest! {
        /// Rows taken out (products deleted) leave the positions, every order kept, the search
        /// text, the producers to filter by and the positions mended by [`Removed::mend`] as a
        /// list built afresh from the rows left gives them.
        #[test]
        fn removed_rows_leave_the_list_as_a_fresh_one_gives_it(
            rows in proptest::collection::vec(("[a-dĐđ]{1,3}", 0usize..3), 1..60),
            removals in proptest::collection::vec(0i64..70, 1..12),
            sorted_before in proptest::collection::vec(0usize..Column::ALL.len(), 0..4),
            column in 0usize..Column::ALL.len(),
            descending: bool,
        ) {
            let rows = rows
                .into_iter()
                .enumerate()
                .map(|(id, (name, producer))| ProductRow {
                    product_id: id as i64,
                    texts: RowTexts::new(&format!("S{id:02}"), "", &name),
                    producer: ["HTX A", "HTX B", "HTX Đ"][producer].into(),
                    ocop_group: ["G", "H", "G"][producer].into(),
                    stars: None,
                    unit: "chai".into(),
                    price: None,
                    vat: None,
                    stock: Decimal::ONE,
                    low_stock: Decimal::ZERO,
                    active: true,
                })
                .collect();
            let mut list = ProductList::new(rows);
            for earlier in sorted_before {
                list.set_sort(Sort { column: Column::ALL[earlier], descending: false });
            }
            let sort = Sort { column: Column::ALL[column], descending };
            list.set_sort(sort);
            let typed = Filter { text: "a".into(), ..Filter::default() };
            let mut shown = list.select(&Filter::default());
            let mut found = list.select(&typed);
            for id in removals {
                let listed = list.position_of(id).is_some();
                let removed = list.remove(id);
                proptest::prop_assert_eq!(removed.is_some(), listed);
                if let Some(removed) = removed {
                    removed.mend(&mut shown);
                    removed.mend(&mut found);
                }
                proptest::prop_assert_eq!(list.position_of(id), None);
            }
            for (position, row) in list.rows().iter().enumerate() {
                proptest::prop_assert_eq!(list.position_of(row.product_id), Some(position));
            }
            let mut fresh = ProductList::new(list.rows().to_vec());
            fresh.set_sort(sort);
            let skus = |list: &ProductList, positions: &[usize]| -> Vec<String> {
                positions.iter().map(|&p| list.row(p).sku().to_string()).collect()
            };
            proptest::prop_assert_eq!(skus(&list, &shown), skus(&fresh, &fresh.select(&Filter::default())));
            proptest::prop_assert_eq!(skus(&list, &found), skus(&fresh, &fresh.select(&typed)));
            proptest::prop_assert_eq!(list.producers(), fresh.producers());
            proptest::prop_assert_eq!(list.groups(), fresh.groups());
            for column in Column::ALL {
                for descending in [false, true] {
                    let sort = Sort { column, descending };
                    list.set_sort(sort);
                    fresh.set_sort(sort);
                    proptest::prop_assert_eq!(
                        skus(&list, &list.select(&typed)),
                        skus(&fresh, &fresh.select(&typed)),
                        "{:?}", sort
                    );
                }
            }
        }
    }

    /// A filter drawn from few values, so that one often narrows another.
    fn filter() -> impl proptest::strategy::Strategy<Value = Filter> {
        use proptest::prelude::*;
        (
            "[ad ]{0,6}",
            proptest::option::of(prop_oneof!["HTX A", "HTX Đ"]),
            proptest::option::of(3u8..5),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(
                |(text, producer, stars, low_stock_only, include_inactive)| Filter {
                    text,
                    producer,
                    group: None,
                    stars,
                    low_stock_only,
                    include_inactive,
                },
            )
    }

    proptest::proptest! {
        /// Filtering the rows shown again, when the new filter narrows the old one, gives what
        /// filtering the whole list from scratch gives; otherwise the whole list is filtered.
        #[test]
        fn a_narrower_filter_over_the_rows_shown_equals_one_over_every_row(
            rows in proptest::collection::vec(
                ("[aàdđĐ ]{1,8}", 0usize..2, proptest::option::of(3u8..5), 0i64..3, proptest::bool::ANY),
                1..60,
            ),
            column in 0usize..Column::ALL.len(),
            descending: bool,
            before in filter(),
            after in filter(),
        ) {
            let rows = rows
                .into_iter()
                .enumerate()
                .map(|(id, (name, producer, stars, stock, active))| ProductRow {
                    product_id: id as i64,
                    texts: RowTexts::new(&format!("S{id:02}"), "", &name),
                    producer: ["HTX A", "HTX Đ"][producer].into(),
                    ocop_group: "G".into(),
                    stars,
                    unit: "chai".into(),
                    price: None,
                    vat: None,
                    stock: Decimal::from(stock),
                    low_stock: Decimal::ONE,
                    active,
                })
                .collect();
            let mut list = ProductList::new(rows);
            list.set_sort(Sort { column: Column::ALL[column], descending });
            let shown = list.select(&before);
            proptest::prop_assert_eq!(list.reselect(&after, &before, shown), list.select(&after));
        }
    }

    #[test]
    fn a_replaced_row_is_found_by_its_new_text_and_sorted_where_it_belongs() {
        let row = |id: i64, sku: &str, name: &str| ProductRow {
            product_id: id,
            texts: RowTexts::new(sku, "", name),
            producer: "HTX".into(),
            ocop_group: "Thực phẩm".into(),
            stars: None,
            unit: "chai".into(),
            price: None,
            vat: None,
            stock: Decimal::ONE,
            low_stock: Decimal::ZERO,
            active: true,
        };
        let mut list = ProductList::new(vec![row(1, "A1", "Bánh pía"), row(2, "A2", "Cà phê")]);
        list.set_sort(Sort {
            column: Column::Name,
            descending: false,
        });
        let names = |list: &ProductList, filter: &Filter| -> Vec<String> {
            list.select(filter)
                .into_iter()
                .map(|position| list.row(position).name().to_string())
                .collect()
        };
        assert_eq!(list.replace_rows(vec![row(1, "A1", "Đường thốt nốt")]), [0]);
        assert_eq!(
            names(&list, &Filter::default()),
            ["Cà phê", "Đường thốt nốt"]
        );
        let typed = Filter {
            text: "duong".into(),
            ..Filter::default()
        };
        assert_eq!(names(&list, &typed), ["Đường thốt nốt"]);
        assert!(list.passes(&typed, 0) && !list.passes(&typed, 1));
        // A product new to the list is added, with its producer among the filter's choices.
        let mut new = row(3, "A0", "Bánh tráng");
        new.producer = "Cơ sở Mới".into();
        assert_eq!(list.replace_rows(vec![new]), [2]);
        assert_eq!(list.rows().len(), 3);
        assert_eq!(list.position_of(3), Some(2));
        assert!(list.producers().iter().any(|p| p == "Cơ sở Mới"));
        assert_eq!(names(&list, &Filter::default())[0], "Bánh tráng");
        // Back to the SKU order sorted at the start, mended meanwhile.
        list.set_sort(Sort::default());
        assert_eq!(
            names(&list, &Filter::default()),
            ["Bánh tráng", "Đường thốt nốt", "Cà phê"]
        );
    }

    fn row(sku: &str, name: &str, producer: &str, stock: i64, active: bool) -> ProductRow {
        ProductRow {
            product_id: sku[2..].parse().unwrap(),
            texts: RowTexts::new(sku, &format!("893{sku}"), name),
            producer: producer.into(),
            ocop_group: "Thực phẩm".into(),
            stars: Some(if active { 4 } else { 3 }),
            unit: "chai".into(),
            price: Some(Money(10_000 * stock.max(1))),
            vat: Some(VatRate::Percent(Decimal::from(8))),
            stock: Decimal::from(stock),
            low_stock: Decimal::from(5),
            active,
        }
    }

    fn list() -> ProductList {
        ProductList::new(vec![
            row("KG003", "Rượu sim rừng", "Cơ sở Hàm Ninh", 2, true),
            row("KG001", "Nước mắm Khải Hoàn", "CTCP Khải Hoàn", 40, true),
            row("KG002", "Gạo ST25 Điền Tín", "CTCP Điền Tín", 9, false),
        ])
    }

    fn skus(list: &ProductList, positions: &[usize]) -> Vec<String> {
        positions
            .iter()
            .map(|&p| list.row(p).sku().to_string())
            .collect()
    }

    #[test]
    fn filters_without_accents_and_hides_inactive_unless_asked() {
        let list = list();
        let mut filter = Filter::default();
        assert_eq!(skus(&list, &list.select(&filter)), ["KG001", "KG003"]);
        filter.include_inactive = true;
        assert_eq!(
            skus(&list, &list.select(&filter)),
            ["KG001", "KG002", "KG003"]
        );
        filter.text = "dien tin".into();
        assert_eq!(skus(&list, &list.select(&filter)), ["KG002"]);
        filter.text = "893KG001".into();
        assert_eq!(skus(&list, &list.select(&filter)), ["KG001"]);
    }

    #[test]
    fn filters_by_producer_stars_and_low_stock() {
        let list = list();
        let filter = Filter {
            low_stock_only: true,
            ..Filter::default()
        };
        assert_eq!(skus(&list, &list.select(&filter)), ["KG003"]);
        let filter = Filter {
            producer: Some("CTCP Khải Hoàn".into()),
            ..Filter::default()
        };
        assert_eq!(skus(&list, &list.select(&filter)), ["KG001"]);
        let filter = Filter {
            stars: Some(3),
            include_inactive: true,
            ..Filter::default()
        };
        assert_eq!(skus(&list, &list.select(&filter)), ["KG002"]);
    }

    #[test]
    fn sorts_by_any_column_both_ways() {
        let mut list = list();
        let everything = Filter {
            include_inactive: true,
            ..Filter::default()
        };
        list.set_sort(Sort {
            column: Column::Stock,
            descending: true,
        });
        assert_eq!(
            skus(&list, &list.select(&everything)),
            ["KG001", "KG002", "KG003"]
        );
        list.set_sort(Sort {
            column: Column::Name,
            descending: false,
        });
        // Gạo, Nước, Rượu: folded, so "Đ"/"Ư" sort as D/U would.
        assert_eq!(
            skus(&list, &list.select(&everything)),
            ["KG002", "KG001", "KG003"]
        );
        list.set_sort(Sort {
            column: Column::Status,
            descending: false,
        });
        assert_eq!(
            skus(&list, &list.select(&everything)),
            ["KG001", "KG003", "KG002"]
        );
    }
}
