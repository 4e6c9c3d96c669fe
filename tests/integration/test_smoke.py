def test_product_page_renders(client, product):
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert b"$38.70" in response.content
