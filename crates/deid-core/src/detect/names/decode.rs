//! Labels to candidate spans.

use super::evidence::{dotted_gap, name_gap, only_spaces, Doc};
use super::{Ids, Label};
use crate::category::{Category, Kind};
use crate::detect::Candidate;

/// The rule id of a name span: a cue's when any unit of it was cue-found (`strong`), else by
/// its highest confidence (0.75 propagated, 0.7 neighbour, the rest dictionary).
fn name_rule(ids: &Ids, conf: f32, strong: bool) -> &std::sync::Arc<str> {
    if strong {
        &ids.cue
    } else if conf >= 0.8 {
        &ids.dict
    } else if conf == 0.75 {
        &ids.propagated
    } else if conf == 0.7 {
        &ids.neighbour
    } else {
        &ids.dict
    }
}

/// Runs of name units (with their titles) joined by name gaps, or dots after a title or an
/// initial, become one NAME span each ("Dr. Jane Roe"); a run of titles alone none. Each
/// place unit is a span of its category; an organisation of several units ("Frederick
/// hospital") is one span.
pub(super) fn emit(d: &Doc, ids: &Ids, labels: &[Label], out: &mut Vec<Candidate>) {
    let n = d.n();
    let units = &d.units;
    let mut u = 0;
    while u < n {
        match labels[u] {
            Label::Title | Label::Name { .. } => {
                let start = units[u].start;
                let mut end_u = u;
                let mut conf: f32 = 0.0;
                let mut strong = false;
                let mut k = u;
                while k < n {
                    match labels[k] {
                        Label::Name { conf: c, strong: s } => {
                            conf = conf.max(c);
                            strong |= s;
                            end_u = k;
                        }
                        Label::Title => {}
                        _ => break,
                    }
                    let dotted_ok = k + 1 < n
                        && dotted_gap(d.gap(k, k + 1))
                        && (labels[k] == Label::Title || d.is_initial(k));
                    if k + 1 < n
                        && (name_gap(d.gap(k, k + 1)) || dotted_ok)
                        && matches!(labels[k + 1], Label::Name { .. } | Label::Title)
                    {
                        k += 1;
                    } else {
                        break;
                    }
                }
                if labels[end_u].is_name() {
                    out.push(Candidate {
                        start,
                        end: units[end_u].end,
                        category: Category::Name,
                        kind: Kind::Direct,
                        rule: name_rule(ids, conf, strong).clone(),
                        confidence: conf,
                        priority: if strong { 5 } else { 0 },
                    });
                }
                u = k + 1;
            }
            Label::Place(cat, conf) => {
                let mut end_u = u;
                while cat == Category::Organization
                    && end_u + 1 < n
                    && labels[end_u + 1] == labels[u]
                    && only_spaces(d.gap(end_u, end_u + 1))
                {
                    end_u += 1;
                }
                out.push(Candidate {
                    start: units[u].start,
                    end: units[end_u].end,
                    category: cat,
                    kind: cat.default_kind(),
                    rule: ids.place.clone(),
                    confidence: conf,
                    priority: -1,
                });
                u = end_u + 1;
            }
            Label::None => u += 1,
        }
    }
}
