mod common;
use common::Launch;

#[test]
fn bad_bind() {
    let _s = Launch::demo().arg("--bind").arg("nonsense").start();
}

#[test]
fn panics_with_running_server() {
    let s = Launch::demo().start();
    eprintln!("pid-addr {}", s.addr);
    panic!("deliberate");
}
