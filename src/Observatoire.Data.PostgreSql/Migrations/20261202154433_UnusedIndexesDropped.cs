using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Observatoire.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class UnusedIndexesDropped : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Submissions_PostId_Period",
                table: "Submissions");

            migrationBuilder.DropIndex(
                name: "IX_GridRevisions_DepartmentCode_PeriodStart",
                table: "GridRevisions");

            migrationBuilder.DropIndex(
                name: "IX_GridRevisions_Period_IsCurrent",
                table: "GridRevisions");

            migrationBuilder.DropIndex(
                name: "IX_GridRevisions_PeriodStart_PeriodEnd",
                table: "GridRevisions");

            migrationBuilder.CreateIndex(
                name: "IX_GridRevisions_DepartmentCode",
                table: "GridRevisions",
                column: "DepartmentCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_GridRevisions_DepartmentCode",
                table: "GridRevisions");

            migrationBuilder.CreateIndex(
                name: "IX_Submissions_PostId_Period",
                table: "Submissions",
                columns: new[] { "PostId", "Period" });

            migrationBuilder.CreateIndex(
                name: "IX_GridRevisions_DepartmentCode_PeriodStart",
                table: "GridRevisions",
                columns: new[] { "DepartmentCode", "PeriodStart" });

            migrationBuilder.CreateIndex(
                name: "IX_GridRevisions_Period_IsCurrent",
                table: "GridRevisions",
                columns: new[] { "Period", "IsCurrent" });

            migrationBuilder.CreateIndex(
                name: "IX_GridRevisions_PeriodStart_PeriodEnd",
                table: "GridRevisions",
                columns: new[] { "PeriodStart", "PeriodEnd" });
        }
    }
}
