from django.urls import reverse

from core.navigation import menu_for


def _links(user):
    return {url for group in menu_for(user) for _text, url in group.links}


def test_menu_groups_entries_by_app_and_filters_by_role(home_affairs, head_a):
    # given the two personas, when their menus are built
    ha_groups = {group.label: group for group in menu_for(home_affairs)}
    # then Home Affairs gets the administration drop-down with units and the operations page
    admin = ha_groups["Quản trị"]
    admin_urls = [url for _text, url in admin.links]
    assert reverse("organizations:unit_list") in admin_urls
    assert reverse("core:jobrun_list") in admin_urls
    # and a unit head sees the units list but not Home Affairs' pages
    head_links = _links(head_a)
    assert reverse("organizations:unit_list") in head_links
    assert reverse("core:jobrun_list") not in head_links
    assert reverse("organizations:unit_import_list") not in head_links


def test_navbar_renders_drop_downs_and_single_links(client_for, home_affairs):
    body = client_for(home_affairs).get(reverse("organizations:unit_list")).content.decode()
    assert 'class="nav-link dropdown-toggle"' in body
    assert f'href="{reverse("reporting:export_list")}"' in body


def test_a_lone_entry_shows_its_short_navbar_label_and_keeps_its_full_name_in_drop_downs(
    head_a, home_affairs
):
    # given a unit head, whose task inbox ("Nhiệm vụ của đơn vị") stands alone in its group
    groups = menu_for(head_a)
    inbox = next(g for g in groups if g.links == [("Nhiệm vụ của đơn vị", reverse("tasks:inbox"))])
    # then the navbar shows its short form, and the reports drop-down its short group name
    assert inbox.text == "Nhiệm vụ"
    assert "Báo cáo" in {group.label for group in groups}
    # and Home Affairs' two task pages share one drop-down under their full names
    tasks = next(g for g in menu_for(home_affairs) if g.label == "Nhiệm vụ")
    assert [text for text, _url in tasks.links] == ["Chờ xác nhận", "Theo dõi nhiệm vụ"]
