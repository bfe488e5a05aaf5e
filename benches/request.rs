//! What the client adds to a request: the generated client against a
//! hand-written reqwest call to the same loopback server, with the same
//! headers, query and decoding, in one run so the ratio is fair.
//! `cargo bench --bench request`; numbers go to BENCHMARKS.md.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use losant_rest::types::{Org, OrgInvites};
use losant_rest::{Client, RetryPolicy};

const ORG: &str = "575ed6e87ae143cd83dc4aa8";

/// A small keep-alive HTTP/1.1 server on 127.0.0.1 that answers `/orgs/{id}`
/// with a small org and `/orgs/{id}/invites` with about 1 MB of invites.
fn serve() -> String {
    let small = br#"{"id":"575ed6e87ae143cd83dc4aa8","name":"Acme","members":[{"userId":"575ed70c7ae143cd83dc4aa9","role":"admin"}],"limits":{"device":100}}"#.to_vec();
    let invite = r#"{"id":"575ed71e7ae143cd83dc4aaa","email":"someone@example.com","role":"view","inviteDate":"2024-01-01T00:00:00.000Z","ttl":604800000,"hasExpired":false}"#;
    let large = format!("[{}]", vec![invite; 7_000].join(",")).into_bytes();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (small, large) = (small.clone(), large.clone());
            std::thread::spawn(move || {
                let _ = stream.set_nodelay(true);
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut writer = stream;
                loop {
                    let mut first = String::new();
                    if reader.read_line(&mut first).unwrap_or(0) == 0 {
                        return;
                    }
                    let mut line = String::new();
                    while reader.read_line(&mut line).unwrap_or(0) > 2 {
                        line.clear();
                    }
                    let body = if first.contains("/invites") { &large } else { &small };
                    // Head and body in one write, so no Nagle delay sits between them.
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    );
                    let mut response = head.into_bytes();
                    response.extend_from_slice(body);
                    if writer.write_all(&response).is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

fn overhead(c: &mut Criterion) {
    let base = serve();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = Client::builder().base_url(&base).token("token").retry(RetryPolicy::none()).build().unwrap();
    let raw = reqwest::Client::new();
    let query = "_actions=false&_links=true&_embedded=true";
    let raw_get = |path: String| {
        raw.get(format!("{base}{path}?{query}"))
            .header("authorization", "Bearer token")
            .header("accept", "application/json")
            .header("accept-version", "^1.30.0")
            .send()
    };

    let mut group = c.benchmark_group("request/small GET");
    group.bench_function("losant-rest", |b| {
        b.iter(|| runtime.block_on(client.org().get(ORG).send()).unwrap());
    });
    group.bench_function("raw reqwest", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let body = raw_get(format!("/orgs/{ORG}")).await.unwrap().bytes().await.unwrap();
                serde_json::from_slice::<Org>(&body).unwrap()
            })
        });
    });
    group.finish();

    let mut group = c.benchmark_group("request/1 MB list");
    group.throughput(Throughput::Bytes(1_000_000));
    group.bench_function("losant-rest", |b| {
        b.iter(|| runtime.block_on(client.org().pending_invites(ORG).send()).unwrap());
    });
    group.bench_function("raw reqwest", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let body = raw_get(format!("/orgs/{ORG}/invites")).await.unwrap().bytes().await.unwrap();
                serde_json::from_slice::<OrgInvites>(&body).unwrap()
            })
        });
    });
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
