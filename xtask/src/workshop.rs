//! The workshop as this checkout holds it: the step crates (one per chapter), their files
//! parsed into regions, their tests, and the exercises they pose.
//! Workshop: one chapter per step crate · DESIGN.md: "Steps are cumulative snapshots"

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::files::{self, show};
use crate::readme;
use crate::regions::{ExerciseId, Kind, MarkerError, Region, Source};
use crate::test_fns::{self, TestFn};
use crate::{Error, Result};

/// The checkout: its root and its step crates, in chapter order.
pub struct Workshop {
    /// The checkout's root folder (where the workspace's Cargo.toml is).
    pub root: PathBuf,
    /// Step 1 to step N.
    pub steps: Vec<Step>,
}

/// A step crate: the learner's project at the end of one chapter.
pub struct Step {
    /// Its chapter, N of `stepN-...`.
    pub chapter: u32,
    /// Its folder, relative to the root: `step5-genserver`.
    pub dir: String,
    /// Its Cargo.toml, as written.
    pub manifest: String,
    /// Its README.md ("" if it has none).
    pub readme: String,
    /// Its files under src/ and tests/, sorted by path.
    pub files: Vec<File>,
}

/// A file of a step, under src/ or tests/.
pub struct File {
    /// Its path inside the step: `src/echo.rs`.
    pub path: PathBuf,
    /// Its regions, or the first mistake in its markers.
    pub source: Result<Source, MarkerError>,
    /// Its `#[test]` fns.
    pub tests: Vec<TestFn>,
}

/// An exercise, as its home step poses it.
pub struct Exercise<'a> {
    /// N.k.
    pub id: ExerciseId,
    /// From the step README's statement, else from a region's title.
    pub title: String,
    /// Step N, the only one its views are made from.
    pub home: &'a Step,
}

impl Exercise<'_> {
    /// `exercise 1.1: Drop non-compliant messages`, or without the title if it has none.
    pub fn name(&self) -> String {
        match self.title.as_str() {
            "" => format!("exercise {}", self.id),
            title => format!("exercise {}: {title}", self.id),
        }
    }
}

impl Workshop {
    /// Reads every `stepN-*` crate of the checkout at `root`.
    pub fn load(root: &Path) -> Result<Workshop> {
        let entries = fs::read_dir(root)
            .map_err(|e| Error::new(format!("cannot list {}: {e}", show(root))))?;
        let mut steps = Vec::new();
        for entry in entries.flatten() {
            let dir = entry.file_name().to_string_lossy().to_string();
            let chapter = dir
                .strip_prefix("step")
                .and_then(|rest| rest.split_once('-'))
                .and_then(|(n, _)| n.parse().ok());
            if let Some(chapter) = chapter {
                if root.join(&dir).join("Cargo.toml").is_file() {
                    steps.push(Step::load(root, dir, chapter)?);
                }
            }
        }
        steps.sort_by_key(|step| step.chapter);
        if steps.is_empty() {
            return Err(Error::new(format!("no step crates in {}", show(root))));
        }
        Ok(Workshop {
            root: root.to_path_buf(),
            steps,
        })
    }

    /// Step N, or an error that says which chapters there are.
    pub fn chapter(&self, n: u32) -> Result<&Step> {
        self.steps
            .iter()
            .find(|step| step.chapter == n)
            .ok_or_else(|| {
                Error::new(format!("there is no chapter {n}"))
                    .detail(format!("the chapters are {}", self.chapter_list()))
            })
    }

    /// The step before chapter N's (none for chapter 1: step 0 is an empty crate).
    pub fn before(&self, n: u32) -> Option<&Step> {
        self.steps.iter().rev().find(|step| step.chapter < n)
    }

    /// `1 to 6`, or the numbers one by one if some are missing.
    fn chapter_list(&self) -> String {
        let numbers: Vec<u32> = self.steps.iter().map(|s| s.chapter).collect();
        match (numbers.first(), numbers.last()) {
            (Some(first), Some(last)) if (last - first) as usize + 1 == numbers.len() => {
                format!("{first} to {last}")
            }
            _ => numbers
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// Every exercise, in order: those with a region in their home step.
    pub fn exercises(&self) -> Vec<Exercise<'_>> {
        let mut exercises = Vec::new();
        for step in &self.steps {
            let stated = readme::exercises(&step.readme);
            for id in step.exercise_ids() {
                let title = stated
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| s.title.clone())
                    .or_else(|| {
                        step.regions()
                            .find(|r| r.id == id)
                            .and_then(|r| r.title.clone())
                    })
                    .unwrap_or_default();
                exercises.push(Exercise {
                    id,
                    title,
                    home: step,
                });
            }
        }
        exercises
    }

    /// Exercise N.k, or an error that lists the exercises there are.
    pub fn exercise(&self, id: ExerciseId) -> Result<Exercise<'_>> {
        let mut all = self.exercises();
        let known = ids(&all);
        match all.iter().position(|e| e.id == id) {
            Some(at) => Ok(all.swap_remove(at)),
            None => Err(Error::new(format!("there is no exercise {id}"))
                .detail(format!("the exercises are {known}"))),
        }
    }
}

/// `1.1, 4.1, 5.1`.
fn ids(exercises: &[Exercise]) -> String {
    let ids: Vec<String> = exercises.iter().map(|e| e.id.to_string()).collect();
    ids.join(", ")
}

impl Step {
    fn load(root: &Path, dir: String, chapter: u32) -> Result<Step> {
        let folder = root.join(&dir);
        let manifest = files::read(&folder.join("Cargo.toml"))?;
        let readme = files::read(&folder.join("README.md")).unwrap_or_default();
        let mut files = Vec::new();
        for top in ["src", "tests"] {
            for inside in files::walk(&folder.join(top))? {
                let path = Path::new(top).join(inside);
                let text = files::read(&folder.join(&path))?;
                let source = Source::parse(&text);
                let tests = match (&source, path.extension()) {
                    (Ok(source), Some(ext)) if ext == "rs" => {
                        test_fns::find(&text, &test_fns::module_of(&path), &source.regions())
                    }
                    _ => Vec::new(),
                };
                files.push(File {
                    path,
                    source,
                    tests,
                });
            }
        }
        Ok(Step {
            chapter,
            dir,
            manifest,
            readme,
            files,
        })
    }

    /// Its files with their regions, or an error naming every marker mistake in them.
    pub fn sources(&self) -> Result<Vec<(&File, &Source)>> {
        let mut mistakes = self.marker_errors().into_iter();
        if let Some(first) = mistakes.next() {
            return Err(mistakes.fold(Error::new(first), Error::detail));
        }
        Ok(self
            .files
            .iter()
            .filter_map(|file| file.source.as_ref().ok().map(|source| (file, source)))
            .collect())
    }

    /// `step1-echo/src/echo.rs:34: ...` for each file whose markers are wrong.
    pub fn marker_errors(&self) -> Vec<String> {
        let mistakes = self.files.iter().filter_map(|file| {
            let mistake = file.source.as_ref().err()?;
            Some(format!(
                "{}:{}: {}",
                self.show(&file.path),
                mistake.line,
                mistake.message
            ))
        });
        mistakes.collect()
    }

    /// Every region of its files (of those whose markers are right).
    pub fn regions(&self) -> impl Iterator<Item = &Region> {
        let sources = self.files.iter().filter_map(|f| f.source.as_ref().ok());
        sources.flat_map(|source| source.regions())
    }

    /// The exercises it poses: chapter N's, of which it has a region.
    pub fn exercise_ids(&self) -> BTreeSet<ExerciseId> {
        let ids = self.regions().map(|region| region.id);
        ids.filter(|id| id.chapter == self.chapter).collect()
    }

    /// Its `#[test]` fns, file by file.
    pub fn tests(&self) -> impl Iterator<Item = &TestFn> {
        self.files.iter().flat_map(|file| &file.tests)
    }

    /// The tests that prove exercise `id`.
    pub fn tests_of(&self, id: ExerciseId) -> Vec<&TestFn> {
        self.tests().filter(|t| t.exercises.contains(&id)).collect()
    }

    /// The files that hold a SOLUTION region of `id`: where our solution is.
    pub fn solution_files(&self, id: ExerciseId) -> Vec<String> {
        let holds = |file: &&File| {
            let source = file.source.as_ref().ok();
            source.is_some_and(|s| {
                s.regions()
                    .iter()
                    .any(|r| r.kind == Kind::Solution && r.id == id)
            })
        };
        self.files
            .iter()
            .filter(holds)
            .map(|f| self.show(&f.path))
            .collect()
    }

    /// A path of the step as seen from the checkout's root: `step1-echo/src/echo.rs`.
    pub fn show(&self, path: &Path) -> String {
        format!("{}/{}", self.dir, path.display())
    }

    /// Its README's title: `Echo`.
    pub fn title(&self) -> &str {
        readme::title(&self.readme).unwrap_or(&self.dir)
    }
}
