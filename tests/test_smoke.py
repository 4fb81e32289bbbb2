def test_tree_page_renders_for_staff(world, client_for):
    response = client_for("staff").get(f"/org/{world.commune.pk}/")
    assert response.status_code == 200
    assert "Chi bộ thôn Trung Sơn" in response.content.decode()
