//! verify's first step, with no build: the markers parse, each exercise's regions are in its
//! step and after, each exercise has a SOLUTION and a test, each `exercise_N_k_` test sits in
//! an EXERCISE N.k region, and each step README states exactly the exercises its step poses.
//! Every error names a file and a line. Workshop: each chapter's exercises, stated and solved

use std::collections::{BTreeMap, BTreeSet};

use crate::readme;
use crate::regions::{ExerciseId, Kind};
use crate::workshop::Workshop;

/// The checks that need no build: each error names a file and line.
pub fn static_checks(workshop: &Workshop) -> Vec<String> {
    let mut errors = Vec::new();
    for step in &workshop.steps {
        errors.extend(step.marker_errors());
        let readme_path = format!("{}/README.md", step.dir);
        // Where each exercise's first region is, for errors about the exercise as a whole.
        let mut first_region: BTreeMap<ExerciseId, String> = BTreeMap::new();
        let mut solved = BTreeSet::new();
        for file in &step.files {
            let Ok(source) = &file.source else { continue };
            let regions = source.regions();
            for region in &regions {
                let place = format!("{}:{}", step.show(&file.path), region.begin);
                if region.id.chapter > step.chapter {
                    errors.push(format!(
                        "{place}: {} {} in step {}: exercise {} is posed in step {} and may \
                         appear only there and after",
                        region.kind, region.id, step.chapter, region.id, region.id.chapter
                    ));
                }
                first_region.entry(region.id).or_insert(place);
                if region.kind == Kind::Solution {
                    solved.insert(region.id);
                }
            }
            for test in &file.tests {
                let Some(id) = ExerciseId::of_test_name(test.name()) else {
                    continue;
                };
                let inside = regions.iter().any(|r| {
                    r.kind == Kind::Exercise
                        && r.id == id
                        && r.begin < test.first_line
                        && test.last_line < r.end
                });
                if !inside {
                    errors.push(format!(
                        "{}:{}: test `{}` is named for exercise {id} but lies outside every \
                         EXERCISE {id} region, so chapter {}'s view would keep it",
                        step.show(&file.path),
                        test.first_line,
                        test.name(),
                        id.chapter
                    ));
                }
            }
        }
        let homed = step.exercise_ids();
        for id in &homed {
            let place = &first_region[id];
            if !solved.contains(id) {
                errors.push(format!(
                    "{place}: exercise {id} has no SOLUTION region: its starter would be solved"
                ));
            }
            if step.tests_of(*id).is_empty() {
                errors.push(format!(
                    "{place}: exercise {id} has no test: name one `{}...`, inside an \
                     EXERCISE {id} region",
                    id.test_prefix()
                ));
            }
        }
        let stated = readme::exercises(&step.readme);
        let mut seen = BTreeSet::new();
        for s in &stated {
            let place = format!("{readme_path}:{}", s.line);
            if s.id.chapter != step.chapter {
                errors.push(format!(
                    "{place}: states exercise {}, which belongs in step {}'s README",
                    s.id, s.id.chapter
                ));
            } else if !homed.contains(&s.id) {
                errors.push(format!(
                    "{place}: states exercise {}, but {} has no region of it",
                    s.id, step.dir
                ));
            } else if !seen.insert(s.id) {
                errors.push(format!("{place}: states exercise {} a second time", s.id));
            }
        }
        for id in homed
            .iter()
            .filter(|id| !stated.iter().any(|s| s.id == **id))
        {
            errors.push(format!(
                "{}: exercise {id} has regions in {}, but {readme_path} does not state it \
                 (`**{id} Title.**` in its ## Exercises)",
                first_region[id], step.dir
            ));
        }
    }
    errors
}
