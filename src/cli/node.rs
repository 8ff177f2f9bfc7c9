//! `ocop-pos node show|set`: this data folder's place among its store's nodes.

use super::pin::{ManagerChange, open_existing};
use super::refusal;
use crate::config::Config;
use crate::core::audit::AuditAct;
use crate::store::node::NodeIdentity;

fn describe(identity: &NodeIdentity, last_seq: i64) -> String {
    let role = if identity.writes_catalogue() {
        "máy danh mục của cửa hàng / the store's catalogue node"
    } else {
        "danh mục nhận từ máy danh mục / catalogue received from the catalogue node"
    };
    let series = if identity.invoice_series_per_node {
        "mỗi máy một dãy theo mã máy / one per node, by its code"
    } else {
        "hai chữ đã đăng ký / the registered letters"
    };
    format!(
        "cửa hàng / store        {}\n\
         máy / node              {}\n\
         lần chạy / incarnation  {}\n\
         nguồn / origin          {}\n\
         máy danh mục / catalogue node  {} ({role})\n\
         ký hiệu hóa đơn / invoice series  {series}\n\
         sự kiện đã ghi / events written  {last_seq}\n",
        identity.store,
        identity.node,
        identity.incarnation,
        identity.origin(),
        identity.catalogue_node,
    )
}

/// `node show`.
pub fn show_node(config: &Config) -> Result<String, String> {
    let store = open_existing(config)?;
    let identity = store.node_identity().map_err(|e| refusal(&e))?;
    let last_seq = store.last_event_seq().map_err(|e| refusal(&e))?;
    Ok(describe(&identity, last_seq))
}

/// What `node set` changes; what is not given stays.
#[derive(Debug, Default)]
pub struct NodeChange<'a> {
    pub store: Option<&'a str>,
    pub code: Option<&'a str>,
    pub catalogue_node: Option<&'a str>,
    pub invoice_series_per_node: Option<bool>,
}

fn summary(identity: &NodeIdentity) -> String {
    let series = if identity.invoice_series_per_node {
        "node"
    } else {
        "registered"
    };
    format!(
        "{} (catalogue {}, invoices {series})",
        identity.origin(),
        identity.catalogue_node
    )
}

/// `node set`: a manager changes the store id, the node's code, the catalogue node or how the
/// nodes' invoice series are named, audited.
pub fn set_node(change: &mut ManagerChange, asked: NodeChange<'_>) -> Result<String, String> {
    let before = change.store.node_identity().map_err(|e| refusal(&e))?;
    change
        .store
        .set_node_identity(asked.store, asked.code, asked.catalogue_node)
        .map_err(|e| refusal(&e))?;
    if let Some(per_node) = asked.invoice_series_per_node {
        change
            .store
            .set_invoice_series_per_node(per_node)
            .map_err(|e| refusal(&e))?;
    }
    let after = change.store.node_identity().map_err(|e| refusal(&e))?;
    change.audit(
        AuditAct::SettingChanged,
        "node",
        &summary(&before),
        &summary(&after),
    )?;
    let last_seq = change.store.last_event_seq().map_err(|e| refusal(&e))?;
    let mut out = describe(&after, last_seq);
    if before.origin() != after.origin() {
        out += "Máy này ghi sự kiện dưới tên mới, đánh số lại từ 1; sự kiện cũ giữ tên cũ. Mỗi máy \
                của cùng cửa hàng phải có mã riêng, và mọi máy phải cùng mã cửa hàng.\n\
                This node now writes its events under its new name, numbered from 1 again; \
                earlier events keep the old name. Every node of a store needs its own code, and \
                all of them the same store id.\n";
    }
    if before.catalogue_node != after.catalogue_node {
        out += "Chỉ máy danh mục được sửa sản phẩm, giá, VAT, nhà sản xuất, giỏ quà và nhân \
                viên; đặt cùng máy danh mục trên mọi máy của cửa hàng.\n\
                Only the catalogue node may edit products, prices, VAT, producers, gift packs \
                and staff; set the same catalogue node on every node of the store.\n";
    }
    Ok(out)
}
