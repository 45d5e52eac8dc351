//! `V` and `P` act on many rows at once; the status line tallies how they
//! end ("4/4 served", "3/4 served, 1 failed: b.gvmi (HTTP 404)"), not only
//! the last row to report. A part of `App` that knows nothing of it: told
//! which rows a batch covers and how each ended, counted as they come
//! (never a scan of the batch per report).

use std::collections::HashSet;

use super::rows::RowId;

/// What a batch does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Verify,
    Publish,
}

impl Kind {
    fn doing(self) -> &'static str {
        match self {
            Kind::Verify => "Verifying",
            Kind::Publish => "Publishing",
        }
    }

    fn done(self) -> &'static str {
        match self {
            Kind::Verify => "served",
            Kind::Publish => "published",
        }
    }
}

/// Failures named on the status line; the rest are counted.
const NAMED: usize = 3;
/// Each named failure's reason at most this long (a publish's can run long).
const WHY_CHARS: usize = 60;

#[derive(Debug)]
struct Batch {
    pending: HashSet<RowId>,
    total: usize,
    ok: usize,
    failed: usize,
    /// The first few failures, as `name (why)`.
    named: Vec<String>,
    /// Rows that will not report: removed, or their check voided by a new hash.
    dropped: usize,
    /// What to do about the first failure that came with a fix (said at the end).
    fix: Option<String>,
}

/// The batch of each kind running (or last finished).
#[derive(Debug, Default)]
pub struct Batches {
    verify: Option<Batch>,
    publish: Option<Batch>,
}

impl Batches {
    fn slot(&mut self, kind: Kind) -> &mut Option<Batch> {
        match kind {
            Kind::Verify => &mut self.verify,
            Kind::Publish => &mut self.publish,
        }
    }

    /// A batch of `kind` over `rows` starts; one of that kind still
    /// running is replaced (its rows' checks were restarted with it).
    pub fn start(&mut self, kind: Kind, rows: impl IntoIterator<Item = RowId>) {
        let pending: HashSet<RowId> = rows.into_iter().collect();
        *self.slot(kind) = Some(Batch {
            total: pending.len(),
            pending,
            ok: 0,
            failed: 0,
            named: Vec::new(),
            dropped: 0,
            fix: None,
        });
    }

    /// More rows join the batch of `kind` (`V` queues a slice at a time).
    pub fn add(&mut self, kind: Kind, rows: impl IntoIterator<Item = RowId>) {
        if let Some(batch) = self.slot(kind).as_mut() {
            for row in rows {
                batch.total += usize::from(batch.pending.insert(row));
            }
        }
    }

    /// `row` ended: `Ok`, or `Err((name, why))`. The tally for the status
    /// line when the row belongs to the batch of `kind`.
    pub fn finish(
        &mut self,
        kind: Kind,
        row: RowId,
        outcome: Result<(), (String, String)>,
    ) -> Option<String> {
        let batch = self.slot(kind).as_mut()?;
        if !batch.pending.remove(&row) {
            return None;
        }
        match outcome {
            Ok(()) => batch.ok += 1,
            Err((name, why)) => {
                batch.failed += 1;
                if batch.named.len() < NAMED {
                    batch
                        .named
                        .push(format!("{name} ({})", cut(&why, WHY_CHARS)));
                }
            }
        }
        Some(tally(kind, batch))
    }

    /// A failure of `kind`'s batch came with this fix: the first one is
    /// said after the finished tally.
    pub fn fix(&mut self, kind: Kind, fix: &str) {
        if let Some(batch) = self.slot(kind).as_mut() {
            batch.fix.get_or_insert_with(|| fix.to_string());
        }
    }

    /// `row` will not report (removed, or its URL check voided): it leaves
    /// whatever batch it was in. The tally when that ends the batch.
    pub fn drop_row(&mut self, kind: Kind, row: RowId) -> Option<String> {
        let batch = self.slot(kind).as_mut()?;
        if !batch.pending.remove(&row) {
            return None;
        }
        batch.dropped += 1;
        batch.pending.is_empty().then(|| tally(kind, batch))
    }
}

/// `Verifying… 2/4 served, 1 failed` while rows are pending, then
/// `3/4 served, 1 failed: b.gvmi (HTTP 404).`
fn tally(kind: Kind, batch: &Batch) -> String {
    let mut line = format!("{}/{} {}", batch.ok, batch.total, kind.done());
    if batch.failed > 0 {
        line.push_str(&format!(", {} failed", batch.failed));
    }
    if batch.dropped > 0 {
        line.push_str(&format!(
            ", {} not finished (gone or rehashed)",
            batch.dropped
        ));
    }
    if !batch.pending.is_empty() {
        return format!("{}… {line}", kind.doing());
    }
    if !batch.named.is_empty() {
        line.push_str(": ");
        line.push_str(&batch.named.join(", "));
        if batch.failed > batch.named.len() {
            line.push_str(", …");
        }
    }
    line.push('.');
    if let Some(fix) = &batch.fix {
        line.push_str(&format!(" Fix: {fix} (details: Enter)."));
    }
    line
}

fn cut(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
