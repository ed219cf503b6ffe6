"""An editor's browser, without JavaScript: it logs in to the admin and
submits forms as they are shown, over HTTP to the site under gunicorn."""

import re

import html5lib
import requests

FIELDS = {"input", "select", "textarea"}


def form_data(html: str, form_id: str) -> list[tuple[str, str]]:
    """What a browser posts from the form ``form_id``, left as it is."""
    form = html5lib.parse(html, namespaceHTMLElements=False).find(
        f".//form[@id='{form_id}']"
    )
    assert form is not None, f"no form {form_id!r} on the page"
    data = []
    for field in form.iter():
        name = field.get("name")
        if field.tag not in FIELDS or not name or field.get("disabled") is not None:
            continue
        if field.tag == "textarea":
            data.append((name, field.text or ""))
        elif field.tag == "select":
            data += [
                (name, option.get("value", option.text or ""))
                for option in field.iter("option")
                if option.get("selected") is not None
            ]
        elif field.get("type", "text") in ("checkbox", "radio"):
            if field.get("checked") is not None:
                data.append((name, field.get("value", "on")))
        elif field.get("type") not in ("file", "submit", "button", "image", "reset"):
            data.append((name, field.get("value", "")))
    return data


class EditorBrowser:
    def __init__(self, site, username: str, password: str):
        self.site = site
        self.session = requests.Session()
        self.session.get(site.url("/admin/login/"), timeout=15)
        response = self.session.post(
            site.url("/admin/login/"),
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.session.cookies["csrftoken"],
                "next": "/admin/",
            },
            timeout=15,
            allow_redirects=False,
        )
        assert response.status_code == 302, "the editor could not log in"

    def change_url(self, title: str) -> str:
        """The admin page of the publication with this title."""
        listing = self.session.get(
            self.site.url("/admin/publications/publication/"),
            params={"q": title},
            timeout=15,
        )
        link = rf'href="(/admin/publications/publication/\d+/change/)[^"]*">{title}<'
        match = re.search(link, listing.text)
        assert match, f"no publication titled {title!r} in the admin"
        return match[1]

    def retitle(self, title: str, new_title: str) -> requests.Response:
        """Opens the publication's admin page, changes its title, saves."""
        url = self.change_url(title)
        page = self.session.get(self.site.url(url), timeout=15)
        data = [
            (name, new_title if name == "title" else value)
            for name, value in form_data(page.text, "publication_form")
        ]
        return self.session.post(
            self.site.url(url), data=data, timeout=15, allow_redirects=False
        )
