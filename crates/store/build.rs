//! Marks PostgreSQL tests as runnable when `AUKIOLO_TEST_DATABASE_URL` is set, so that a
//! plain `cargo test` lists them as ignored with the reason instead of skipping silently;
//! and names the PostgreSQL migrations by a hash of their files, so that test databases
//! are copied from a template made from exactly these (`test_support`).
use std::hash::{Hash, Hasher};
use std::path::Path;

fn main() {
    let migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/postgres");
    println!("cargo:rerun-if-changed={}", migrations.display());
    let mut files = Vec::new();
    collect(&migrations, &mut files);
    files.sort();
    // Not a security hash: it only tells one set of migrations from another.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in &files {
        file.strip_prefix(&migrations).unwrap_or(file).hash(&mut hasher);
        std::fs::read(file).unwrap_or_default().hash(&mut hasher);
        println!("cargo:rerun-if-changed={}", file.display());
    }
    println!("cargo:rustc-env=AUKIOLO_PG_MIGRATIONS_HASH={:016x}", hasher.finish());
    println!("cargo:rustc-check-cfg=cfg(aukiolo_pg_tests)");
    println!("cargo:rerun-if-env-changed=AUKIOLO_TEST_DATABASE_URL");
    if std::env::var_os("AUKIOLO_TEST_DATABASE_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo:rustc-cfg=aukiolo_pg_tests");
    }
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
