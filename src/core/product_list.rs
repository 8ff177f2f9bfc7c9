//! The inventory screen's product table: every product (inactive ones too) with its stock,
//! filtered and sorted in memory. A sort order is computed once per column; each keystroke of
//! the filter is then one linear pass over pre-folded text, fast enough for 300k products.

use crate::core::fold::{fold, matches_all_words};
use crate::core::money::Money;
use crate::core::vat::VatRate;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// One product as the inventory table lists it. Price and VAT rate are those in force when the
/// table was read; a product with none yet (all scheduled) shows none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRow {
    pub product_id: i64,
    pub sku: String,
    /// The first of its barcodes (the in-store one for products without a maker's).
    pub barcode: String,
    pub name: String,
    pub producer: String,
    pub ocop_group: String,
    pub stars: Option<u8>,
    pub unit: String,
    pub price: Option<Money>,
    pub vat: Option<VatRate>,
    pub stock: Decimal,
    /// At or below this the product is low on stock (0: never).
    pub low_stock: Decimal,
    pub active: bool,
}

impl ProductRow {
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

    /// The text of a column sorted as people read it, without accents ("Đ" with the D's);
    /// folded once per sort rather than once per comparison.
    fn folded_text(self) -> Option<fn(&ProductRow) -> &str> {
        match self {
            Column::Name => Some(|row| &row.name),
            Column::Producer => Some(|row| &row.producer),
            Column::Group => Some(|row| &row.ocop_group),
            _ => None,
        }
    }

    fn compare(self, a: &ProductRow, b: &ProductRow) -> Ordering {
        match self {
            Column::Sku => a.sku.cmp(&b.sku),
            Column::Barcode => a.barcode.cmp(&b.barcode),
            Column::Name => a.name.cmp(&b.name),
            Column::Producer => a.producer.cmp(&b.producer),
            Column::Group => a.ocop_group.cmp(&b.ocop_group),
            Column::Stars => a.stars.cmp(&b.stars),
            Column::Unit => a.unit.cmp(&b.unit),
            Column::Price => a.price.cmp(&b.price),
            Column::Vat => a.vat.cmp(&b.vat),
            Column::Stock => a.stock.cmp(&b.stock),
            Column::Status => b.active.cmp(&a.active),
        }
    }
}

/// A sort: the column, and whether from the largest down.
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

/// The products, their folded search text, and the sort order last asked for.
#[derive(Debug, Clone, Default)]
pub struct ProductList {
    rows: Vec<ProductRow>,
    folded: Vec<String>,
    sort: Sort,
    /// Positions into `rows` in the order of `sort`.
    order: Vec<usize>,
    /// The distinct producers and groups, for the filter lists.
    producers: Vec<String>,
    groups: Vec<String>,
    /// Each text column's values folded for sorting, once asked for, kept with the rows.
    sort_keys: HashMap<Column, Vec<String>>,
}

/// What a row is found by: SKU, barcode, name and producer, folded.
fn search_text(row: &ProductRow) -> String {
    fold(&format!(
        "{} {} {} {}",
        row.sku, row.barcode, row.name, row.producer
    ))
}

/// Adds `value` to a list kept in order without accents, unless it is there already.
fn insert_distinct(values: &mut Vec<String>, value: &str) {
    if !values.iter().any(|known| known == value) {
        let key = fold(value);
        let at = values.partition_point(|known| fold(known) < key);
        values.insert(at, value.to_string());
    }
}

impl ProductList {
    /// The rows, listed by SKU until another sort is asked for.
    pub fn new(rows: Vec<ProductRow>) -> ProductList {
        let folded = rows.iter().map(search_text).collect();
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
            folded,
            sort: Sort::default(),
            order: Vec::new(),
            producers,
            groups,
            sort_keys: HashMap::new(),
        };
        list.order = list.sorted_order(list.sort);
        list
    }

    pub fn rows(&self) -> &[ProductRow] {
        &self.rows
    }

    pub fn row(&self, position: usize) -> &ProductRow {
        &self.rows[position]
    }

    /// The position of a product in `rows`.
    pub fn position_of(&self, product_id: i64) -> Option<usize> {
        self.rows
            .iter()
            .position(|row| row.product_id == product_id)
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    /// Orders the list by `sort`; ties keep SKU order so equal rows never jump around.
    pub fn set_sort(&mut self, sort: Sort) {
        if sort != self.sort {
            self.order = self.sorted_order(sort);
            self.sort = sort;
        }
    }

    /// The folded values of a text column, computed the first time it is sorted by.
    fn ensure_sort_keys(&mut self, column: Column) {
        if let Some(text) = column.folded_text()
            && !self.sort_keys.contains_key(&column)
        {
            let keys = self.rows.iter().map(|row| fold(text(row))).collect();
            self.sort_keys.insert(column, keys);
        }
    }

    /// How two rows compare in `sort`: by the column (folded text for text columns), then SKU.
    fn compare_positions(&self, sort: Sort, a: usize, b: usize) -> Ordering {
        let by_column = match self.sort_keys.get(&sort.column) {
            Some(keys) => keys[a].cmp(&keys[b]),
            None => sort.column.compare(&self.rows[a], &self.rows[b]),
        };
        let by_column = if sort.descending {
            by_column.reverse()
        } else {
            by_column
        };
        by_column.then_with(|| self.rows[a].sku.cmp(&self.rows[b].sku))
    }

    fn sorted_order(&mut self, sort: Sort) -> Vec<usize> {
        self.ensure_sort_keys(sort.column);
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        // SKUs are unique: no two rows compare equal, so an unstable sort is as good.
        order.sort_unstable_by(|&a, &b| self.compare_positions(sort, a, b));
        order
    }

    /// Moves the row at `position` to where the current sort puts it (or puts it there when
    /// it is new to the order): a binary search, not a sort of the whole list.
    fn place(&mut self, position: usize) {
        if let Some(at) = self.order.iter().position(|&p| p == position) {
            self.order.remove(at);
        }
        let sort = self.sort;
        let at = self
            .order
            .partition_point(|&other| self.compare_positions(sort, other, position).is_lt());
        self.order.insert(at, position);
    }

    /// Positions (into `rows`) of the rows the filter lets through, in the current sort order.
    pub fn select(&self, filter: &Filter) -> Vec<usize> {
        let query = fold(&filter.text);
        let query = query.trim();
        self.order
            .iter()
            .copied()
            .filter(|&position| {
                let row = &self.rows[position];
                (filter.include_inactive || row.active)
                    && (!filter.low_stock_only || row.is_low())
                    && filter.stars.is_none_or(|stars| row.stars == Some(stars))
                    && filter
                        .producer
                        .as_ref()
                        .is_none_or(|producer| &row.producer == producer)
                    && filter
                        .group
                        .as_ref()
                        .is_none_or(|group| &row.ocop_group == group)
                    && (query.is_empty() || matches_all_words(&self.folded[position], query))
            })
            .collect()
    }

    /// Puts rows read again in place of the products' old ones (a product not listed yet is
    /// added): a change costs the rows it touched, not a read of the whole catalogue. The order
    /// is sorted again only when a changed row may move in it. Returns whether it was.
    pub fn replace_rows(&mut self, rows: Vec<ProductRow>) -> bool {
        let mut moved = Vec::new();
        for row in rows {
            insert_distinct(&mut self.producers, &row.producer);
            insert_distinct(&mut self.groups, &row.ocop_group);
            let folded = search_text(&row);
            let position = match self.position_of(row.product_id) {
                Some(position) => {
                    let old = &self.rows[position];
                    if self.sort.column.compare(old, &row) != Ordering::Equal
                        || old.sku != row.sku
                        || self
                            .sort
                            .column
                            .folded_text()
                            .is_some_and(|text| fold(text(old)) != fold(text(&row)))
                    {
                        moved.push(position);
                    }
                    self.rows[position] = row;
                    self.folded[position] = folded;
                    position
                }
                None => {
                    self.rows.push(row);
                    self.folded.push(folded);
                    moved.push(self.rows.len() - 1);
                    self.rows.len() - 1
                }
            };
            for (column, keys) in &mut self.sort_keys {
                let text = column
                    .folded_text()
                    .expect("keys are kept for text columns");
                let key = fold(text(&self.rows[position]));
                match keys.get_mut(position) {
                    Some(kept) => *kept = key,
                    None => keys.push(key),
                }
            }
        }
        for &position in &moved {
            self.place(position);
        }
        !moved.is_empty()
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
        /// Rows replaced one by one (renamed, restocked, new) keep the list in exactly the
        /// order a sort from scratch gives, whatever the column and direction.
        #[test]
        fn replaced_rows_keep_the_order_a_full_sort_gives(
            names in proptest::collection::vec("[a-dĐđ]{1,3}", 2..12),
            changes in proptest::collection::vec((0usize..14, "[a-dĐđ]{1,3}", 0i64..5), 1..8),
            column in 0usize..Column::ALL.len(),
            descending: bool,
        ) {
            let row = |id: usize, name: &str, stock: i64| ProductRow {
                product_id: id as i64,
                sku: format!("S{id:02}"),
                barcode: String::new(),
                name: name.into(),
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
                names.iter().enumerate().map(|(id, name)| row(id, name, 1)).collect(),
            );
            let sort = Sort { column: Column::ALL[column], descending };
            list.set_sort(sort);
            for (id, name, stock) in changes {
                list.replace_rows(vec![row(id, &name, stock)]);
            }
            let mut fresh = ProductList::new(list.rows().to_vec());
            fresh.set_sort(sort);
            let skus = |list: &ProductList| -> Vec<String> {
                list.select(&Filter::default()).into_iter().map(|p| list.row(p).sku.clone()).collect()
            };
            proptest::prop_assert_eq!(skus(&list), skus(&fresh));
        }
    }

    #[test]
    fn a_replaced_row_is_found_by_its_new_text_and_sorted_where_it_belongs() {
        let row = |id: i64, sku: &str, name: &str| ProductRow {
            product_id: id,
            sku: sku.into(),
            barcode: String::new(),
            name: name.into(),
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
        // A name that changes nothing in the order keeps it; a new name that does re-sorts.
        assert!(!list.replace_rows(vec![row(1, "A1", "Bánh pía")]));
        assert!(list.replace_rows(vec![row(1, "A1", "Đường thốt nốt")]));
        let names = |list: &ProductList, filter: &Filter| -> Vec<String> {
            list.select(filter)
                .into_iter()
                .map(|position| list.row(position).name.clone())
                .collect()
        };
        assert_eq!(
            names(&list, &Filter::default()),
            ["Cà phê", "Đường thốt nốt"]
        );
        let typed = Filter {
            text: "duong".into(),
            ..Filter::default()
        };
        assert_eq!(names(&list, &typed), ["Đường thốt nốt"]);
        // A product new to the list is added, with its producer among the filter's choices.
        let mut new = row(3, "A0", "Bánh tráng");
        new.producer = "Cơ sở Mới".into();
        list.replace_rows(vec![new]);
        assert_eq!(list.rows().len(), 3);
        assert!(list.producers().iter().any(|p| p == "Cơ sở Mới"));
        assert_eq!(names(&list, &Filter::default())[0], "Bánh tráng");
    }

    fn row(sku: &str, name: &str, producer: &str, stock: i64, active: bool) -> ProductRow {
        ProductRow {
            product_id: sku[2..].parse().unwrap(),
            sku: sku.into(),
            barcode: format!("893{sku}"),
            name: name.into(),
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
        positions.iter().map(|&p| list.row(p).sku.clone()).collect()
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
