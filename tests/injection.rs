//! Property test on the wire: whatever text goes into a path, query or header
//! param, the server sees the same path shape, the same query params and the
//! same headers; or the client refuses the value and sends nothing.

use std::sync::OnceLock;

use losant_rest::{Client, Error};
use proptest::prelude::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One server and runtime for every case.
fn shared() -> &'static (tokio::runtime::Runtime, MockServer) {
    static SHARED: OnceLock<(tokio::runtime::Runtime, MockServer)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&server).await;
            server
        });
        (runtime, server)
    })
}

fn hostile() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("/"),
            Just("?"),
            Just("&"),
            Just("="),
            Just("#"),
            Just("%2F"),
            Just(".."),
            Just("\r\n"),
            Just("\n"),
            Just(": "),
            Just("X-Injected: 1"),
            Just(" "),
            Just("é"),
            Just("a"),
        ],
        0..10,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_value_changes_the_request_shape(id in hostile(), user in hostile(), domain in hostile()) {
        let (runtime, server) = shared();
        let client = Client::builder().base_url(server.uri()).check_params(false).build().unwrap();
        let before = runtime.block_on(server.received_requests()).unwrap().len();
        let result = runtime.block_on(client.org().remove_member(id.clone(), user.clone()).losantdomain(domain.clone()).send());
        let requests = runtime.block_on(server.received_requests()).unwrap();
        match result {
            Err(Error::InvalidArgument { param, .. }) => {
                prop_assert_eq!(requests.len(), before, "nothing is sent for a refused value");
                let refused_id = param == "orgId" && matches!(id.as_str(), "" | "." | "..");
                let refused_domain = param == "losantdomain" && domain.contains(['\r', '\n']);
                prop_assert!(refused_id || refused_domain, "refused {} for no reason", param);
            }
            Err(other) => prop_assert!(false, "unexpected error {}", other),
            Ok(_) => {
                let request = &requests[before];
                let segments: Vec<&str> = request.url.path_segments().unwrap().collect();
                prop_assert_eq!(segments.len(), 3, "{}", request.url);
                prop_assert_eq!((segments[0], segments[2]), ("orgs", "member"));
                let names: Vec<String> = request.url.query_pairs().map(|(k, _)| k.into_owned()).collect();
                prop_assert_eq!(names, ["_actions", "_links", "_embedded", "userId"]);
                let user_sent = request.url.query_pairs().find(|(k, _)| k == "userId").map(|(_, v)| v.into_owned());
                prop_assert_eq!(user_sent, Some(user));
                prop_assert!(request.headers.get("x-injected").is_none());
                let domains: Vec<_> = request.headers.get_all("losantdomain").iter().collect();
                prop_assert_eq!(domains.len(), 1);
            }
        }
    }
}
