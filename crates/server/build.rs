//! Marks PostgreSQL tests as runnable when `AUKIOLO_TEST_DATABASE_URL` is set, so that a
//! plain `cargo test` lists them as ignored with the reason instead of skipping silently.
fn main() {
    println!("cargo:rustc-check-cfg=cfg(aukiolo_pg_tests)");
    println!("cargo:rerun-if-env-changed=AUKIOLO_TEST_DATABASE_URL");
    if std::env::var_os("AUKIOLO_TEST_DATABASE_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo:rustc-cfg=aukiolo_pg_tests");
    }
}
