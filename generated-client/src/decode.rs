//! A successful response, as the transport hands it to generated code, and
//! its decoding into the action's type.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::Error;

/// `body` with every float that has no fraction (`10.0`) made an integer,
/// or `None` if it has none (or is not JSON). Only tried after a plain
/// decode failed, so it costs nothing otherwise. Not generic: the caller
/// decodes the result as it decoded the body, with the same decoder.
fn with_integral_floats_as_integers(body: &[u8]) -> Option<Vec<u8>> {
    use serde_json::Value;
    fn fix(value: &mut Value) -> bool {
        match value {
            Value::Number(n) if n.is_f64() => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                // Within ±2^53 a float holds every integer exactly.
                if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                    *value = Value::from(f as i64);
                    return true;
                }
                false
            }
            Value::Array(items) => items.iter_mut().fold(false, |changed, item| fix(item) | changed),
            Value::Object(fields) => fields.values_mut().fold(false, |changed, item| fix(item) | changed),
            _ => false,
        }
    }
    let mut value: Value = serde_json::from_slice(body).ok()?;
    if !fix(&mut value) {
        return None;
    }
    serde_json::to_vec(&value).ok()
}

/// A successful response, not yet decoded.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) action: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Response {
    /// Decodes the body as `T`; a failure names the type and the field path.
    /// Nothing but whitespace may follow the JSON value.
    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let error = match serde_json::from_slice(&self.body) {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        // JSON Schema counts `10.0` as an integer: accept a body that fails only on that.
        if let Some(fixed) = with_integral_floats_as_integers(&self.body) {
            if let Ok(value) = serde_json::from_slice(&fixed) {
                return Ok(value);
            }
        }
        Err(self.decode_error(std::any::type_name::<T>(), error))
    }

    /// The error for a body that did not decode, with the path of the value
    /// where decoding stopped (from the error's position: nothing is decoded
    /// twice, and no second decoder is compiled per type).
    fn decode_error(self, type_name: &'static str, source: serde_json::Error) -> Error {
        let path = crate::json_path::error_offset(&self.body, &source)
            .map_or_else(|| ".".to_string(), |at| crate::json_path::path_at(&self.body, at));
        Error::Decode { action: self.action, status: self.status, type_name, path, source }
    }

    /// For actions whose success has no body: the body is ignored.
    #[cfg_attr(not(generated_uses = "empty_body"), allow(dead_code))]
    pub(crate) fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    /// The HTTP status, for actions with more than one success status.
    #[cfg_attr(not(generated_uses = "statuses"), allow(dead_code))]
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// A success status the spec does not list.
    #[cfg_attr(not(generated_uses = "statuses"), allow(dead_code))]
    pub(crate) fn unexpected(self) -> Error {
        Error::UnexpectedStatus {
            action: self.action,
            status: self.status,
            body: String::from_utf8_lossy(&self.body).into_owned(),
        }
    }
}
