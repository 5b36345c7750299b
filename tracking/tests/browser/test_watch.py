"""The watch every browser test runs under: it sees what the Content-Security-Policy blocks."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_inline_script_is_blocked_and_reported_and_so_is_a_script_error(page, context):
    page.goto("/accounts/login/")
    # What an injected or careless inline script would do: the policy allows scripts from the site only.
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "document.body.dataset.inline = 'ran'";
          document.head.appendChild(script);
          setTimeout(() => { throw new Error("broken page script"); }, 0);
        }"""
    )
    for _wait in range(20):
        if context.problems.csp and context.problems.errors:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.body.dataset.inline") is None
    assert any("script-src" in line for line in context.problems.csp)
    assert any("broken page script" in line for line in context.problems.errors)
    # Seen as it should be: the watch must not fail this test for them.
    context.problems.csp.clear()
    context.problems.errors.clear()
