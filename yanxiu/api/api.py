"""The REST API (/api/v1/…), OpenAPI 3.1 at /api/schema and its docs at /api/docs (served locally).

Every endpoint reads through the same `visible_to` querysets and permission
rules as the pages, and every write goes through the same domain functions
(the editor's forms and version check, the workflow door).
"""

from ninja import NinjaAPI

from . import errors
from .auth import AUTH
from .routers import applications, batches, calls, delivery, statistics

api = NinjaAPI(
    title="研修申报 开放接口",
    version="1",
    description="福建省专业技术人才知识更新工程高级研修项目申报与管理系统的开放接口。"
    "所有数据按调用者所属单位的权限范围返回；错误统一为 {code, message, errors}。",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/schema",
)
errors.install(api)
for router in (calls.router, applications.router, batches.router, delivery.router, statistics.router):
    api.add_router("/v1/", router)
