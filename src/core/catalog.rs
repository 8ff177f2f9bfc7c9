//! Products as the counter sees them, and the in-memory search over them.

use crate::core::fold::{fold, matches_all_words};
use crate::core::money::Money;
use crate::core::vat::VatRate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A product with the price and VAT rate in force at the moment it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub sku: String,
    pub barcode: Option<String>,
    /// Price-lookup number printed in scale labels, for products sold by weight.
    pub plu: Option<u32>,
    pub name: String,
    pub producer: crate::core::shared_text::SharedText,
    pub ocop_group: crate::core::shared_text::SharedText,
    pub stars: Option<u8>,
    pub unit: crate::core::shared_text::SharedText,
    pub sold_by_weight: bool,
    /// VAT-inclusive shelf price per unit (per kg for weighed products).
    pub price: Money,
    pub vat: VatRate,
    pub stock: Decimal,
}

/// `★★★★★` for a rating, empty when the product has none.
pub fn stars_text(stars: Option<u8>) -> String {
    "★".repeat(usize::from(stars.unwrap_or(0)))
}

/// What the counter's search knows of one thing it sells (a product or a gift pack).
#[derive(Debug, Clone, Copy)]
pub struct Searchable<'a> {
    pub name: &'a str,
    pub producer: &'a str,
    pub sku: &'a str,
    pub barcode: Option<&'a str>,
    /// How often it sold lately (the last 30 days): the tie-break between equal matches.
    pub sold_lately: u32,
}

impl<'a> Searchable<'a> {
    pub fn product(product: &'a Product, sold_lately: u32) -> Searchable<'a> {
        Searchable {
            name: &product.name,
            producer: &product.producer,
            sku: &product.sku,
            barcode: product.barcode.as_deref(),
            sold_lately,
        }
    }
}

/// How many times each product (by id) and gift pack (by SKU) sold over the last 30 days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SoldLately {
    pub products: std::collections::HashMap<i64, u32>,
    pub packs: std::collections::HashMap<String, u32>,
}

impl SoldLately {
    pub fn product(&self, id: i64) -> u32 {
        self.products.get(&id).copied().unwrap_or(0)
    }

    pub fn pack(&self, sku: &str) -> u32 {
        self.packs.get(sku).copied().unwrap_or(0)
    }
}

/// How well an entry matches a query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// The query is the SKU or barcode.
    ExactCode,
    /// The name starts with the query's words, in order.
    NameStarts,
    /// Every word is in the name.
    WordsInName,
    /// Every word is somewhere: name, producer or SKU.
    WordsAnywhere,
}

/// One thing the counter sells, folded: its name, producer and SKU in one text (one
/// allocation; at 300k products four strings each cost tens of megabytes more), the name its
/// start and the SKU its end.
#[derive(Debug, Clone)]
struct Entry {
    /// Name, producer and SKU, folded, a space between each.
    all: Box<str>,
    name_len: u32,
    sku_len: u32,
    barcode: Box<str>,
    sold_lately: u32,
}

impl Entry {
    fn of(item: Searchable<'_>) -> Entry {
        let (name, producer, sku) = (fold(item.name), fold(item.producer), fold(item.sku));
        let length = |text: &str| u32::try_from(text.len()).expect("a name under 4 GB");
        Entry {
            name_len: length(&name),
            sku_len: length(&sku),
            all: format!("{name} {producer} {sku}").into_boxed_str(),
            barcode: item.barcode.unwrap_or_default().into(),
            sold_lately: item.sold_lately,
        }
    }

    fn name(&self) -> &str {
        &self.all[..self.name_len as usize]
    }

    fn sku(&self) -> &str {
        &self.all[self.all.len() - self.sku_len as usize..]
    }
}

/// Folded text of everything the counter sells, scanned per keystroke and ranked: exact code,
/// then names starting with the words, words in the name, words anywhere; equal matches by how
/// often they sold lately, then in the order given. A linear scan over pre-folded text stays
/// within a few milliseconds for hundreds of thousands of products.
#[derive(Debug, Default, Clone)]
pub struct SearchIndex {
    entries: Vec<Entry>,
}

impl SearchIndex {
    /// Products only, none sold lately: positions are the products'.
    pub fn build(products: &[Product]) -> SearchIndex {
        SearchIndex::of(products.iter().map(|p| Searchable::product(p, 0)))
    }

    /// Positions are the order `items` come in.
    pub fn of<'a>(items: impl IntoIterator<Item = Searchable<'a>>) -> SearchIndex {
        SearchIndex {
            entries: items.into_iter().map(Entry::of).collect(),
        }
    }

    /// Puts `item` in place of the entry at `position`: one product changed.
    pub fn replace(&mut self, position: usize, item: Searchable<'_>) {
        if let Some(entry) = self.entries.get_mut(position) {
            *entry = Entry::of(item);
        }
    }

    /// Keeps the entries whose position `keep` lets through (things no longer sold go; the
    /// others move up, as the list they index does).
    pub fn retain(&mut self, mut keep: impl FnMut(usize) -> bool) {
        let mut position = 0;
        self.entries.retain(|_| {
            position += 1;
            keep(position - 1)
        });
    }

    /// Sets how often each entry sold lately (by its position): equal matches rank by it.
    pub fn set_sold_lately(&mut self, sold: impl Fn(usize) -> u32) {
        for (position, entry) in self.entries.iter_mut().enumerate() {
            entry.sold_lately = sold(position);
        }
    }

    /// Room for `more` entries, so that adding them one by one never doubles the list.
    pub fn reserve(&mut self, more: usize) {
        self.entries.reserve_exact(more);
    }

    /// Drops the entries from `len` on (the gift packs after the products).
    pub fn truncate(&mut self, len: usize) {
        self.entries.truncate(len);
    }

    /// Adds items after the last entry.
    pub fn extend<'a>(&mut self, items: impl IntoIterator<Item = Searchable<'a>>) {
        self.entries.extend(items.into_iter().map(Entry::of));
    }

    /// Positions of the entries matching every word of the query, best first, at most
    /// `limit` of them.
    pub fn search(&self, query: &str, limit: usize) -> Vec<usize> {
        let folded = fold(query);
        let words: Vec<&str> = folded.split_whitespace().collect();
        if words.is_empty() {
            return Vec::new();
        }
        let joined = words.join(" ");
        let mut hits: Vec<(Rank, std::cmp::Reverse<u32>, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(position, entry)| {
                let rank = if entry.sku() == joined || *entry.barcode == *joined {
                    Rank::ExactCode
                } else if entry.name().starts_with(&joined) {
                    Rank::NameStarts
                } else if matches_all_words(entry.name(), &joined) {
                    Rank::WordsInName
                } else if matches_all_words(&entry.all, &joined) {
                    Rank::WordsAnywhere
                } else {
                    return None;
                };
                Some((rank, std::cmp::Reverse(entry.sold_lately), position))
            })
            .collect();
        // Only the best `limit` are sorted: a one-letter query may match most of the shop.
        if hits.len() > limit && limit > 0 {
            hits.select_nth_unstable(limit - 1);
        }
        hits.truncate(limit);
        hits.sort_unstable();
        hits.into_iter().map(|(_, _, position)| position).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(sku: &str, name: &str, producer: &str) -> Product {
        Product {
            id: 1,
            sku: sku.into(),
            barcode: None,
            plu: None,
            name: name.into(),
            producer: producer.into(),
            ocop_group: "Thực phẩm".into(),
            stars: Some(4),
            unit: "chai".into(),
            sold_by_weight: false,
            price: Money(1000),
            vat: VatRate::NotSubject,
            stock: Decimal::ONE,
        }
    }

    #[test]
    fn finds_by_name_producer_and_sku_without_accents() {
        let products = vec![
            product("KG001", "Nước mắm Phú Quốc Khải Hoàn", "CTCP Khải Hoàn"),
            product("KG011", "Gạo Điền Tín ST25", "CTCP Điền Tín"),
            product("KG030", "Rượu sim rừng", "Cơ sở Hàm Ninh"),
        ];
        let index = SearchIndex::build(&products);
        assert_eq!(index.search("nuoc mam phu quoc", 10), vec![0]);
        assert_eq!(index.search("khai hoan", 10), vec![0]);
        assert_eq!(index.search("dien", 10), vec![1]);
        assert_eq!(index.search("ĐIỀN", 10), vec![1]);
        assert_eq!(index.search("kg0", 2), vec![0, 1]);
        assert_eq!(index.search("KG011", 5), vec![1]);
        assert_eq!(index.search("   ", 10), Vec::<usize>::new());
        assert!(index.search("tieu", 10).is_empty());
    }

    #[test]
    fn ranks_exact_code_then_name_start_then_words_then_the_rest_ties_by_recent_sales() {
        let products = [
            product("KG001", "Rượu sim Phú Quốc", "Cơ sở Sim"),
            product("KG002", "Mật ong rừng U Minh", "HTX Sim Phú Quốc"),
            product("KG003", "Sim rừng sấy dẻo", "HTX Rạch Giá"),
            product("SIM", "Trà khổ qua", "HTX An Giang"),
            product("KG005", "Sim rừng ngâm", "HTX Hàm Ninh"),
            product("KG006", "Kẹo sim", "HTX Hàm Ninh"),
        ];
        // The last "Sim rừng" sold more lately than the first.
        let sold = [0, 0, 1, 0, 9, 0];
        let index = SearchIndex::of(
            products
                .iter()
                .zip(sold)
                .map(|(product, sold)| Searchable::product(product, sold)),
        );
        // SIM exactly; names starting with "sim" (the best seller first); "sim" inside a
        // name; then the producer's name.
        assert_eq!(index.search("sim", 10), vec![3, 4, 2, 0, 5, 1]);
        assert_eq!(index.search("sim", 2), vec![3, 4]);
        assert_eq!(index.search("phu quoc", 10), vec![0, 1]);
    }

    proptest::proptest! {
        /// The one text of an entry holds each part as folding it alone gives it.
        #[test]
        fn an_entry_folds_name_producer_and_sku_as_each_alone(
            name in "[a-zA-Z đĐăâêôơưàáảãạằắẳẵặ\u{0301}\u{0323}]{0,20}",
            producer in "[a-zA-Z đĐưứừửữự]{0,20}",
            sku in "[A-Z0-9đĐ-]{0,8}",
        ) {
            let entry = Entry::of(Searchable {
                name: &name,
                producer: &producer,
                sku: &sku,
                barcode: None,
                sold_lately: 0,
            });
            proptest::prop_assert_eq!(entry.name(), fold(&name));
            proptest::prop_assert_eq!(entry.sku(), fold(&sku));
            proptest::prop_assert_eq!(&*entry.all, fold(&format!("{name} {producer} {sku}")));
        }
    }

    #[test]
    fn stars_render() {
        assert_eq!(stars_text(Some(3)), "★★★");
        assert_eq!(stars_text(None), "");
    }
}
