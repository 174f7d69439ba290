"""`jixiao db upgrade`, `jixiao import`, `jixiao users add` and `jixiao orgs add`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import sample
from storage_conftest import (  # noqa: F401  (fixtures)
    SELF_EVALUATION_SAMPLES,
    database_url,
    empty_database_url,
    postgres_databases,
    postgres_template,
    rows,
    scalar,
    sqlite_template,
    store,
    table_counts,
)

from jixiao.cli import cli
from jixiao.storage.database import URL_VARIABLE, connect


def run(*arguments: str, input: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(arguments), input=input, env=env)


def test_db_upgrade_creates_jixiao_db_in_the_current_directory_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(URL_VARIABLE, raising=False)

    first = run("db", "upgrade")
    again = run("db", "upgrade")

    assert first.exit_code == again.exit_code == 0, first.output
    assert (tmp_path / "jixiao.db").is_file()
    assert f"数据库已是最新结构（0002）：sqlite:///{tmp_path / 'jixiao.db'}" in again.output


def test_db_upgrade_takes_the_database_from_the_environment(empty_database_url):
    result = run("db", "upgrade", env={URL_VARIABLE: empty_database_url})
    assert result.exit_code == 0, result.output
    database = connect(empty_database_url)
    assert database.is_current()
    database.dispose()


def test_an_unreachable_server_is_an_error_not_a_traceback():
    result = run("db", "upgrade", "--database", "postgresql://nobody@127.0.0.1:1/jixiao")
    assert result.exit_code == 1
    assert "无法升级数据库 postgresql+psycopg://nobody@127.0.0.1:1/jixiao" in result.output


def test_import_before_upgrade_says_what_to_run(tmp_path):
    result = run("import", str(sample("shenzhen-culture-bureau-2021.txt")), "--database", f"sqlite:///{tmp_path / 'new.db'}")
    assert result.exit_code == 1
    assert "请先运行 jixiao db upgrade" in result.output


def test_import_stores_the_samples_then_finds_them_unchanged(store, database_url):
    files = [str(sample(name)) for name in SELF_EVALUATION_SAMPLES]

    first = run("import", *files, "--database", database_url)
    counts = table_counts(store)
    second = run("import", *files, "--database", database_url)

    assert first.exit_code == 0, first.output
    assert f"{files[0]}：新增 22 张，新版本 0 张，未变 0 张" in first.output
    assert "合计：新增 33 张，新版本 0 张，未变 0 张，未导入文件 0 个" in first.output
    assert second.exit_code == 0
    assert "合计：新增 0 张，新版本 0 张，未变 33 张，未导入文件 0 个" in second.output
    assert table_counts(store) == counts


def test_import_lists_the_changes_of_a_new_version(store, database_url, tmp_path):
    source = sample("shenzhen-culture-bureau-2021.txt")
    run("import", str(source), "--database", database_url)
    lines = source.read_text(encoding="utf-8").split("\n")
    lines[21] = lines[21].replace("\t90%\t", "\t95%\t")  # 用户满意度 actual, line 22
    changed = tmp_path / "changed.txt"
    changed.write_text("\n".join(lines), encoding="utf-8")

    result = run("import", str(changed), "--database", database_url)

    assert result.exit_code == 0, result.output
    assert "深圳市文化广电旅游体育局信息化维护项目（2021年）第2版：" in result.output
    assert "第8项指标“用户满意度”的实际完成值：“90%”改为“95%”" in result.output


def test_a_file_that_cannot_be_imported_is_named_and_the_exit_status_is_2(store, database_url):
    report = sample("longgang-special-fund-2022-report.txt")  # an evaluation report, not a form
    result = run("import", str(report), str(sample("shenzhen-culture-bureau-2021.txt")), "--database", database_url)
    assert result.exit_code == 2
    assert f"未导入 {report}：未找到项目支出绩效自评表或部门汇总表" in result.output
    assert "未导入文件 1 个" in result.output
    assert table_counts(store)["forms"] == 3


def test_import_places_forms_in_the_unit_given(store, database_url):
    assert run("orgs", "add", "信息中心", "--kind", "unit", "--database", database_url).exit_code == 0
    result = run("import", str(sample("shenzhen-culture-bureau-2021.txt")), "--unit", "信息中心", "--database", database_url)
    assert result.exit_code == 0, result.output
    assert rows(store, "SELECT DISTINCT o.name FROM forms f JOIN organisations o ON o.id = f.unit_id") == [("信息中心",)]


def test_an_unknown_unit_or_user_is_an_error(store, database_url):
    path = str(sample("shenzhen-culture-bureau-2021.txt"))
    unknown_unit = run("import", path, "--unit", "不存在的单位", "--database", database_url)
    unknown_user = run("import", path, "--user", "nobody", "--database", database_url)
    assert (unknown_unit.exit_code, unknown_user.exit_code) == (1, 1)
    assert "没有名称、编码或编号为“不存在的单位”的单位" in unknown_unit.output
    assert "没有用户“nobody”" in unknown_user.output
    assert table_counts(store)["forms"] == 0


def test_orgs_and_users_are_added_with_a_hashed_password_read_from_stdin(store, database_url):
    assert run("orgs", "add", "罗湖区财政局", "--kind", "bureau", "--database", database_url).exit_code == 0
    department = run(
        "orgs", "add", "罗湖区委办", "--kind", "department", "--parent", "罗湖区财政局", "--code", "0103", "--database", database_url
    )
    added = run(
        "users", "add", "qian", "--role", "reviewer", "--org", "0103", "--password-stdin", "--database", database_url,
        input="审核-口令\n",
    )

    assert "已添加主管部门 罗湖区委办" in department.output
    assert added.exit_code == 0, added.output
    assert "已添加用户 qian（审核人" in added.output and "可登录" in added.output
    assert scalar(store, "SELECT password_hash FROM users WHERE username = 'qian'").startswith("$argon2id$")
    assert rows(store, "SELECT o.path FROM organisations o WHERE o.code = '0103'")[0][0].count("/") == 3


def test_users_add_asks_for_the_password_twice(store, database_url):
    result = run("users", "add", "sun", "--role", "admin", "--database", database_url, input="口令甲\n口令甲\n")
    assert result.exit_code == 0, result.output
    assert "已添加用户 sun（管理员" in result.output


@pytest.mark.parametrize(
    "arguments, message",
    [
        (("users", "add", "li", "--role", "filler", "--no-password"), "填报人须属于一个单位或部门"),
        (("users", "add", "system", "--role", "admin", "--no-password"), "用户“system”已存在"),
        (("orgs", "add", "某单位", "--kind", "unit", "--parent", "不存在"), "没有名称、编码或编号为“不存在”的单位"),
    ],
)
def test_a_refused_user_or_organisation_is_an_error_that_says_why(database_url, arguments, message):
    result = run(*arguments, "--database", database_url)
    assert result.exit_code == 1
    assert message in result.output


def test_an_admin_resets_a_password_and_deactivates_and_activates_a_user(store, database_url):
    added = run("users", "add", "sun", "--role", "admin", "--password-stdin", "--database", database_url, input="旧-口令-sun\n")
    assert added.exit_code == 0, added.output
    old_hash = scalar(store, "SELECT password_hash FROM users WHERE username = 'sun'")

    reset = run("users", "passwd", "sun", "--password-stdin", "--database", database_url, input="新-口令-sun\n")
    deactivated = run("users", "deactivate", "sun", "--database", database_url)
    activated = run("users", "activate", "sun", "--database", database_url)

    assert (reset.exit_code, deactivated.exit_code, activated.exit_code) == (0, 0, 0), reset.output + deactivated.output
    assert "已重置用户 sun 的密码（可登录）" in reset.output
    assert "已停用用户 sun" in deactivated.output and "已启用用户 sun" in activated.output
    new_hash = scalar(store, "SELECT password_hash FROM users WHERE username = 'sun'")
    assert new_hash.startswith("$argon2id$") and new_hash != old_hash
    assert scalar(store, "SELECT active FROM users WHERE username = 'sun'") in (True, 1)
    actions = [action for (action,) in rows(store, "SELECT action FROM audit_log WHERE action LIKE 'user.%' ORDER BY id")]
    assert actions == ["user.add", "user.password", "user.deactivate", "user.activate"]


def test_the_system_user_cannot_be_deactivated_and_an_unknown_user_is_named(store, database_url):
    refused = run("users", "deactivate", "system", "--database", database_url)
    unknown = run("users", "passwd", "nobody", "--no-password", "--database", database_url)
    assert (refused.exit_code, unknown.exit_code) == (1, 1)
    assert "不能停用自己或系统用户" in refused.output
    assert "没有用户“nobody”" in unknown.output
