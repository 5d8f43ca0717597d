//! Document frequencies of salient terms in one batch, and an id for each term.

use super::*;

/// Document frequencies of salient terms in one batch, and an id for each term.
#[derive(Clone, Debug, Default)]
pub struct DocFreq {
    /// Documents counted.
    pub(super) n: u32,
    /// The terms at least two documents hold, in key order with gaps: a key lies at the slot
    /// its top bits name ([`DocFreq::home`]) or just after it, behind smaller keys. A lookup
    /// reads a slot or two (every term of every document is looked up, in a table larger than
    /// the cache), and the slots of a document's terms, sorted by key, are known before they
    /// are needed, so they can be fetched ahead ([`DocFreq::prefetch`]). A term's id is its
    /// slot, so ids sort as keys do.
    pub(super) slots: Vec<Slot>,
    /// `64 -` the bits of a key that name its home slot.
    pub(super) shift: u32,
    /// The kind of the term in each slot, apart from the slots: only a rewrite decision reads
    /// it, and the slots are read for every term of every document.
    pub(super) kinds: Vec<Kind>,
    /// By [`Kind`], `Σ df` over the terms two or more documents hold: the batch's holdings of
    /// shared terms, whose mean per document scales what two documents share by chance
    /// ([`crate::rewrite::decision::Expected`]).
    pub(super) holdings: [u64; 5],
}

/// One term's slot; `df == 0` marks a free one.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Slot {
    pub(super) key: u64,
    pub(super) df: u32,
    /// [`DocFreq::factor`] of `df`, computed once: a scan weighs every term of every
    /// document, and each factor takes two logarithms.
    pub(super) factor: f32,
}

/// What a lookup finds for a term no other document holds (such terms are not kept): no
/// documents counted, and the batch factor of one.
pub(super) const ALONE: Slot = Slot {
    key: 0,
    df: 0,
    factor: 1.0,
};

impl DocFreq {
    /// Counts, over `docs`, how many hold each term (terms are distinct within a document).
    pub fn new(docs: &[&[Term]]) -> DocFreq {
        use rayon::prelude::*;
        // Counted in one hash map per worker, then merged: a batch holds far fewer distinct
        // terms than term occurrences (117k among 20M in 100k generated documents), and
        // sorting all 20M keys took 0.4 s of a 5.9 s scan.
        let per_worker = docs.len().div_ceil(rayon::current_num_threads()).max(1);
        let table = docs
            .par_chunks(per_worker)
            .map(|chunk| {
                let mut counts: ahash::AHashMap<u64, (u32, Kind)> = Default::default();
                for t in chunk.iter().flat_map(|terms| terms.iter()) {
                    counts.entry(t.key()).or_insert((0, t.kind())).0 += 1;
                }
                counts
            })
            .reduce(Default::default, |mut a, mut b| {
                if a.len() < b.len() {
                    std::mem::swap(&mut a, &mut b);
                }
                for (key, (df, kind)) in b {
                    a.entry(key).or_insert((0, kind)).0 += df;
                }
                a
            });
        // A term only one document holds is never shared, and weighs as an absent one (the
        // batch factor counts at least two documents): dropped, it leaves the table under half
        // its size (53k of 117k keys in 100k generated documents).
        let mut counts: Vec<(u64, (u32, Kind))> = table.into_iter().filter(|e| e.1.0 > 1).collect();
        counts.par_sort_unstable_by_key(|e| e.0);
        let kinds: Vec<Kind> = counts.iter().map(|e| e.1.1).collect();
        let counts: Vec<(u64, u32)> = counts.into_iter().map(|(k, (d, _))| (k, d)).collect();
        let mut holdings = [0u64; 5];
        for (&(_, d), &kind) in counts.iter().zip(&kinds) {
            holdings[kind as usize] += u64::from(d);
        }
        DocFreq::from_sorted(docs.len() as u32, holdings, &counts, &kinds)
    }

    /// The table of a batch of `n` documents as far as some of its terms go: each with how
    /// many documents of the batch hold it and its kind. A distributed job counts the whole
    /// batch's and gives one document, or one pair, the counts of its own terms: the weights,
    /// sketches and evidence found with this table are the whole table's. Terms held by one
    /// document are left out, as [`DocFreq::new`] leaves them. `holdings` are the whole
    /// batch's, by [`Kind`]: `Σ df` over the terms two or more documents hold.
    pub fn of_terms(n: u32, holdings: [u64; 5], terms: &[(u64, u32, Kind)]) -> DocFreq {
        let mut sorted: Vec<(u64, u32, Kind)> =
            terms.iter().copied().filter(|t| t.1 > 1).collect();
        sorted.sort_unstable_by_key(|t| t.0);
        sorted.dedup_by_key(|t| t.0);
        let counts: Vec<(u64, u32)> = sorted.iter().map(|t| (t.0, t.1)).collect();
        let kinds: Vec<Kind> = sorted.iter().map(|t| t.2).collect();
        DocFreq::from_sorted(n, holdings, &counts, &kinds)
    }

    /// The table of the terms held by two or more documents, `counts`, sorted by key, of
    /// `kinds` (ordinary words where `kinds` is short), in a batch of `n` documents with
    /// `holdings`.
    pub(super) fn from_sorted(
        n: u32,
        holdings: [u64; 5],
        counts: &[(u64, u32)],
        kinds: &[Kind],
    ) -> DocFreq {
        // At least twice as many slots as keys: a key lies about half a slot past its home.
        let bits = (usize::BITS - counts.len().leading_zeros() + 1).min(63);
        let mut df = DocFreq {
            n,
            holdings,
            kinds: Vec::new(),
            slots: vec![Slot::default(); 1 << bits],
            shift: 64 - bits,
        };
        let mut next = 0;
        for &(key, d) in counts {
            let at = df.home(key).max(next);
            if at >= df.slots.len() {
                // The last keys ran past the end: slots follow, still in order.
                df.slots.resize(at + 1, Slot::default());
            }
            df.slots[at] = Slot {
                key,
                df: d,
                factor: df.factor(d),
            };
            next = at + 1;
        }
        df.kinds = vec![Kind::Word; df.slots.len()];
        for (&(key, _), &kind) in counts.iter().zip(kinds) {
            let id = df.find(key).0 as usize;
            df.kinds[id] = kind;
        }
        df
    }

    pub(super) fn home(&self, key: u64) -> usize {
        (key >> self.shift) as usize
    }

    /// The slot of `key` and its contents, or `ALONE` when no two documents hold it.
    #[inline]
    pub(super) fn find(&self, key: u64) -> (u32, &Slot) {
        let mut i = self.home(key);
        // Keys before `key`'s place are smaller: past it, a larger key or a free slot says it
        // is not there.
        while let Some(slot) = self.slots.get(i) {
            if slot.df == 0 || slot.key > key {
                break;
            }
            if slot.key == key {
                return (i as u32, slot);
            }
            i += 1;
        }
        (u32::MAX, &ALONE)
    }

    /// Asks the processor to start loading the slot of `key` into its cache (a hint: it
    /// reads nothing and never faults).
    #[inline]
    pub(super) fn prefetch(&self, key: u64) {
        if let Some(slot) = self.slots.get(self.home(key)) {
            prefetch_lines(std::ptr::from_ref(slot).cast(), 1);
        }
    }

#[cfg(any(test, feature = "internals"))]
    /// Documents holding `key`, when at least two do; 0 otherwise (see [`DocFreq::new`]).
    pub fn df(&self, key: u64) -> u32 {
        self.find(key).1.df
    }

    /// The batch factor of a term held by `df` documents, in [0, 1]: an inverse document
    /// frequency over the documents other than one of a pair, on the scale of a batch of
    /// [`REFERENCE_BATCH`] documents, or of the batch when it is larger (see the module doc).
    pub fn factor(&self, df: u32) -> f32 {
        let others = (df.max(2) - 1) as f32;
        let reference = REFERENCE_BATCH.max(self.n as f32) + 1.0;
        ((reference / others).ln() / reference.ln()).clamp(0.0, 1.0)
    }

    #[cfg(any(test, feature = "internals"))]
    /// By [`Kind`], `Σ df` over the terms two or more documents hold.
    pub fn holdings(&self) -> [u64; 5] {
        self.holdings
    }

    /// The kind of the term `id`, as the table records it (ordinary words where it records
    /// none).
    pub(super) fn kind(&self, id: u32) -> Kind {
        self.kinds.get(id as usize).copied().unwrap_or(Kind::Word)
    }

    /// How many terms of a kind (`Kind as usize`) that another document holds too a document
    /// of the batch holds, on average.
    pub(super) fn mean_held(&self, kind: usize) -> f64 {
        self.holdings[kind] as f64 / f64::from(self.n.max(1))
    }

    /// The weight of one occurrence-class of a term: everything but the count.
    pub fn unit_weight(&self, key: u64, kind: Kind, rarity: f32) -> f32 {
        boost(kind) * rarity * self.find(key).1.factor
    }
}
