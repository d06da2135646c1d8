//! Placeholder root component: title, version and a number doubler.
//!
//! It exists so the build and browser-test pipeline has something to
//! exercise; the real calculator replaces it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Doubles the number typed by the user, or `None` if it is not a number.
pub fn doubled(input: &str) -> Option<f64> {
    let value: f64 = input.trim().parse().ok()?;
    value.is_finite().then_some(value * 2.0)
}

/// The placeholder application.
#[function_component(App)]
pub fn app() -> Html {
    let input = use_state(String::new);
    let oninput = {
        let input = input.clone();
        Callback::from(move |event: InputEvent| {
            let element: HtmlInputElement = event.target_unchecked_into();
            input.set(element.value());
        })
    };
    let result = match doubled(&input) {
        Some(value) => value.to_string(),
        None => "—".to_owned(),
    };
    html! {
        <main>
            <h1>{ "butie 补贴计算器" }</h1>
            <p class="version" data-testid="version">{ format!("butie {}", butie::VERSION) }</p>
            <label>
                { "数字 " }
                <input
                    type="number"
                    inputmode="decimal"
                    data-testid="number"
                    value={(*input).clone()}
                    {oninput}
                />
            </label>
            <p>{ "× 2 = " }<output data-testid="doubled">{ result }</output></p>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::doubled;

    #[test]
    fn doubles_numbers() {
        assert_eq!(doubled("21"), Some(42.0));
        assert_eq!(doubled(" 1.5 "), Some(3.0));
        assert_eq!(doubled("-4"), Some(-8.0));
    }

    #[test]
    fn rejects_non_numbers() {
        assert_eq!(doubled(""), None);
        assert_eq!(doubled("abc"), None);
        assert_eq!(doubled("inf"), None);
    }
}
