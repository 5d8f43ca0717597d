//! Clusters: connected components of the reported pairs, each with a likely origin.
//!
//! Input: the number of documents and the verified pairs. Output: clusters of two or more
//! documents, members in input order, clusters ordered by their first member. The origin is the
//! member with the earliest `date` when any member has one; otherwise the member that contains
//! most of the others (the largest sum of the other members' containment in it); otherwise
//! (a tie) the first member in input order.

use crate::document::{Corpus, DocId};
use crate::relation::Relation;
use crate::verify::PairReport;

/// A group of documents linked by reported pairs.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// Members in input order.
    pub members: Vec<DocId>,
    /// The likely origin of the others.
    pub origin: DocId,
    /// The weakest relation among the pairs that link the cluster: a cluster of duplicates
    /// only is `duplicate`, one held together by one rewrite is `rewrite`.
    pub relation: Relation,
}

/// Disjoint sets with path halving and union by size.
struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = self.parent[x as usize];
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a as usize] < self.size[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b as usize] = a;
        self.size[a as usize] += self.size[b as usize];
    }
}

/// The clusters formed by `pairs` over the documents of `corpus`.
pub fn clusters(corpus: &Corpus, pairs: &[PairReport]) -> Vec<Cluster> {
    let n = corpus.docs.len();
    let mut uf = UnionFind::new(n);
    for p in pairs {
        uf.union(p.a.0, p.b.0);
    }
    // Component of each document, numbered by first member so the order is input order.
    let mut index = vec![u32::MAX; n];
    let mut groups: Vec<Vec<DocId>> = Vec::new();
    for d in 0..n as u32 {
        let root = uf.find(d) as usize;
        if index[root] == u32::MAX {
            index[root] = groups.len() as u32;
            groups.push(Vec::new());
        }
        groups[index[root] as usize].push(DocId(d));
    }
    let comp = |d: DocId, uf: &mut UnionFind| index[uf.find(d.0) as usize] as usize;
    let mut weakest: Vec<Option<Relation>> = vec![None; groups.len()];
    // Sum of the other members' containment in each document.
    let mut holds = vec![0.0f64; n];
    for p in pairs {
        let c = comp(p.a, &mut uf);
        let relation = p.relation.expect("scanned pairs have a relation");
        weakest[c] = Some(weakest[c].map_or(relation, |w| w.max(relation)));
        holds[p.a.idx()] += p.containment[1];
        holds[p.b.idx()] += p.containment[0];
    }
    groups
        .into_iter()
        .zip(weakest)
        .filter(|(g, _)| g.len() > 1)
        .map(|(members, relation)| Cluster {
            origin: origin(corpus, &members, &holds),
            members,
            relation: relation.expect("a component of two or more has a pair"),
        })
        .collect()
}

fn origin(corpus: &Corpus, members: &[DocId], holds: &[f64]) -> DocId {
    let dated = members
        .iter()
        .filter_map(|&d| corpus.doc(d).date.as_deref().map(|date| (date, d)))
        .min();
    if let Some((_, d)) = dated {
        return d;
    }
    // The first member wins ties: `max_by` keeps the last maximum, so iterate in reverse.
    *members
        .iter()
        .rev()
        .max_by(|x, y| holds[x.idx()].total_cmp(&holds[y.idx()]))
        .expect("clusters are not empty")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::duplicate;

    fn pair(a: u32, b: u32, relation: Relation, containment: [f64; 2]) -> PairReport {
        PairReport {
            relation: Some(relation),
            containment,
            ..duplicate(DocId(a), DocId(b))
        }
    }

    #[test]
    fn components_and_weakest_relation() {
        let corpus = Corpus::from_texts((0..6).map(|i| (i.to_string(), "x")));
        let pairs = [
            pair(0, 2, Relation::Duplicate, [1.0, 1.0]),
            pair(2, 4, Relation::Overlap, [0.1, 0.9]),
            pair(1, 5, Relation::Duplicate, [1.0, 1.0]),
        ];
        let cs = clusters(&corpus, &pairs);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].members, vec![DocId(0), DocId(2), DocId(4)]);
        assert_eq!(cs[0].relation, Relation::Overlap);
        assert_eq!(cs[1].members, vec![DocId(1), DocId(5)]);
        assert_eq!(cs[1].relation, Relation::Duplicate);
        // 4 is 90% inside 2, and 0 fully inside 2: 2 holds most of the others.
        assert_eq!(cs[0].origin, DocId(2));
        // A tie goes to the first member.
        assert_eq!(cs[1].origin, DocId(1));
    }

    #[test]
    fn earliest_date_wins() {
        let mut corpus = Corpus::from_texts((0..3).map(|i| (i.to_string(), "x")));
        corpus.docs[1].date = Some("2024-03-01".into());
        corpus.docs[2].date = Some("2023-12-31".into());
        let cs = clusters(
            &corpus,
            &[
                pair(0, 1, Relation::NearDuplicate, [0.9, 0.9]),
                pair(1, 2, Relation::NearDuplicate, [0.9, 0.9]),
            ],
        );
        assert_eq!(cs[0].origin, DocId(2));
    }
}
