//! References: unique in the running program.
//! Elixir: `make_ref/0`

use std::collections::HashSet;

use otp_core::{Ref, make_ref};
use pretty_assertions::assert_eq;

#[test]
fn refs_are_unique_across_threads() {
    let threads: Vec<_> = (0..4)
        .map(|_| std::thread::spawn(|| (0..5000).map(|_| make_ref()).collect::<Vec<Ref>>()))
        .collect();
    let mut all = HashSet::new();
    for t in threads {
        for r in t.join().unwrap() {
            assert!(all.insert(r), "{r} was made twice");
        }
    }
    assert_eq!(all.len(), 20_000);
}

#[test]
fn a_ref_prints_like_the_beam() {
    let r = make_ref();
    let shown = r.to_string();
    assert!(
        shown.starts_with("#Ref<0.0.0.") && shown.ends_with('>'),
        "{shown}"
    );
    assert_eq!(format!("{r:?}"), shown);
}
